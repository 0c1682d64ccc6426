package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.Payload;
import dev.runar.wire.Cancel;
import dev.runar.wire.Frame;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The caller's side of a unary call on a stream of its own (a request too large for a lane, see
 * {@link CallerLanes#MAX_LANE_PAYLOAD}): sends the request and its FIN together, then waits for the
 * one response frame (which comes with the callee's FIN, so the stream then retires on both sides).
 * Cancelling {@link #result()} sends a Cancel naming the stream on the connection's control stream,
 * which cancels the call on the peer; the stream then ends with the callee's reply to it. The
 * result completes on the callback executor, never on the event loop.
 */
final class OutboundCall extends ChannelInboundHandlerAdapter {
  private static final String CANCELLED = "cancelled by the caller";

  private final QuicConnection connection;
  private final Request header;
  private final long timeoutMicros;
  private final Payload payload;
  private final Executor callbacks;
  private final Duration calleeEndTimeout;
  private final CompletableFuture<Response> result = new CompletableFuture<>();
  private final AtomicBoolean settled = new AtomicBoolean();

  OutboundCall(
      QuicConnection connection,
      Request header,
      long timeoutMicros,
      Payload payload,
      Executor callbacks,
      Duration calleeEndTimeout) {
    this.connection = connection;
    this.calleeEndTimeout = calleeEndTimeout;
    this.header = header;
    this.timeoutMicros = timeoutMicros;
    this.payload = payload;
    this.callbacks = callbacks;
  }

  CompletableFuture<Response> result() {
    return result;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
    if (result.isDone()) {
      stream.close();
      return;
    }
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled() && stream.isActive()) {
            connection
                .control()
                .write(
                    Frame.newBuilder()
                        .setCancel(
                            Cancel.newBuilder().setStreamId(stream.streamId()).setReason(CANCELLED))
                        .build());
            // Not closed at once: the reply, which may be on its way, is read (and dropped) up
            // to the callee's FIN, or its bytes would keep the connection's flow-control credit.
            stream
                .eventLoop()
                .execute(() -> QuicStreamCall.resetUnlessClosedWithin(stream, calleeEndTimeout));
          }
        });
    FrameCodec.writeLast(stream, LaneFrames.request(header, timeoutMicros, payload, 0))
        .addListener(
            f -> {
              if (!f.isSuccess() && !settled.get()) {
                // The peer stopped reading it (STOP_SENDING), or the stream broke: no reply is
                // coming for a request that did not arrive whole.
                fail(
                    Status.UNAVAILABLE.withDescription(
                        "the request could not be sent to "
                            + connection.peerId()
                            + ": "
                            + f.cause().getMessage()));
                QuicStreamCall.resetUnlessClosedWithin(stream, calleeEndTimeout);
              }
            });
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    connection.heard();
    if (msg instanceof Frame frame && frame.hasResponse()) {
      Response response = frame.getResponse();
      complete(() -> result.complete(response));
    } else if (msg instanceof FrameCodec.Oversized oversized) {
      fail(Status.RESOURCE_EXHAUSTED.withDescription(oversized.describe("reply")));
    } else {
      fail(Status.INTERNAL.withDescription("protocol error: unexpected frame on a call stream"));
      ctx.close();
    }
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
