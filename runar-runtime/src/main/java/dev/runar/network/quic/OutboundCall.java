package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.wire.Cancel;
import dev.runar.wire.Frame;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The caller's side of a call stream: sends the request, then waits for the one response frame.
 * The request side stays open until the reply, so that cancelling {@link #result()} can still
 * send a Cancel frame, which cancels the call on the peer. The result completes on the callback
 * executor, never on the event loop.
 */
final class OutboundCall extends ChannelInboundHandlerAdapter {
  private static final Frame CANCEL =
      Frame.newBuilder().setCancel(Cancel.newBuilder().setReason("cancelled by the caller")).build();

  private final Request request;
  private final Executor callbacks;
  private final CompletableFuture<Response> result = new CompletableFuture<>();
  private final AtomicBoolean settled = new AtomicBoolean();

  OutboundCall(Request request, Executor callbacks) {
    this.request = request;
    this.callbacks = callbacks;
  }

  CompletableFuture<Response> result() {
    return result;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (result.isDone()) {
      ctx.close();
      return;
    }
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled() && ctx.channel().isActive()) {
            ctx.writeAndFlush(CANCEL).addListener(ChannelFutureListener.CLOSE);
          }
        });
    ctx.writeAndFlush(Frame.newBuilder().setRequest(request).build());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Frame frame && frame.hasResponse()) {
      Response response = frame.getResponse();
      complete(() -> result.complete(response));
    } else if (msg instanceof FrameCodec.Oversized oversized) {
      fail(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "reply of " + oversized.length() + " bytes exceeds this node's frame limit"));
    } else {
      fail(Status.INTERNAL.withDescription("protocol error: unexpected frame on a call stream"));
    }
    // End our side with a FIN rather than closing: the callee's FIN came with the reply, so with
    // ours the stream is done on both sides and Netty closes it; a reset or an unread FIN would
    // leave QUIC keeping the stream around.
    ((QuicStreamChannel) ctx.channel()).shutdownOutput();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(Status.UNAVAILABLE.withDescription("call stream closed before the reply"));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(Status.INTERNAL.withDescription("malformed reply: " + cause.getMessage()));
    ctx.close();
  }

  /** Fails the call with {@code status} unless it has completed. */
  void fail(Status status) {
    complete(() -> result.completeExceptionally(status.asException()));
  }

  /** Settles the call once: the first outcome decided wins, whatever thread completes it. */
  private void complete(Runnable completion) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    try {
      callbacks.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }
}
