package dev.runar.network.quic;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.runar.Status;
import dev.runar.internal.FailedPublisher;
import dev.runar.network.CallStream;
import dev.runar.network.MessageLimit;
import dev.runar.network.ReplyMetadata;
import dev.runar.network.WireStatus;
import dev.runar.wire.Cancel;
import dev.runar.wire.Frame;
import dev.runar.wire.HalfClose;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import dev.runar.wire.StreamMessage;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * A streaming call on one QUIC stream, for the caller or the callee. The stream does not read on
 * its own ({@code autoRead} off): it reads when the inbound subscriber has demand and nothing is
 * buffered, so unread data stays in QUIC's receive window and the peer's sender stalls. Outbound,
 * it asks its publisher for one message at a time, and only while the stream is writable.
 *
 * <p>All state lives on one sequential executor over the node's executor (never the event loop):
 * channel events hop onto it, and so do the subscribers' signals.
 */
final class QuicCallStream extends ChannelInboundHandlerAdapter implements CallStream {
  private final boolean caller;
  private final Request header;
  private final MessageLimit limit;
  private final Executor loop;
  private final ReplyMetadata reply;
  private final List<Runnable> beforeChannel = new ArrayList<>();
  private volatile QuicStreamChannel channel;
  private boolean settled; // guarded by beforeChannel: the stream opened, or failed to

  // Confined to `loop`.
  private final ArrayDeque<ByteString> received = new ArrayDeque<>();
  private Flow.Subscriber<? super ByteString> inboundSubscriber;
  private long demand;
  private boolean reading;
  private Status inboundEnd;
  private boolean inboundSignalled;
  private Flow.Subscription outboundSubscription;
  private boolean outboundRequested;
  private boolean outboundDone;
  private boolean finished;
  private boolean headersWritten;

  private QuicCallStream(
      boolean caller, Request header, MessageLimit limit, Executor callbacks, ReplyMetadata reply) {
    this.caller = caller;
    this.reply = reply;
    this.header = header;
    this.limit = limit;
    this.loop = MoreExecutors.newSequentialExecutor(callbacks);
  }

  /** The caller's side: sends {@code header} once its stream is open. */
  static QuicCallStream forCaller(
      Request header, MessageLimit limit, Executor callbacks, ReplyMetadata reply) {
    return new QuicCallStream(true, header, limit, callbacks, reply);
  }

  /** The callee's side, on the stream whose {@code Request} header was just read. */
  static QuicCallStream forCallee(
      QuicStreamChannel stream, MessageLimit limit, Executor callbacks) {
    QuicCallStream call = new QuicCallStream(false, null, limit, callbacks, new ReplyMetadata());
    stream.config().setAutoRead(false);
    call.attach(stream);
    return call;
  }

  // ---- channel events (event loop) → loop ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (caller) {
      ctx.channel().config().setAutoRead(false);
      attach((QuicStreamChannel) ctx.channel());
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (caller) {
      ctx.writeAndFlush(Frame.newBuilder().setRequest(header).build());
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    QuicConnection connection = ctx.channel().parent().attr(QuicConnection.KEY).get();
    if (connection != null) {
      connection.heard();
    }
    loop.execute(() -> onFrame(msg));
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    loop.execute(
        () -> {
          reading = false;
          pump();
        });
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    loop.execute(this::requestOutbound);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    loop.execute(
        () ->
            fail(
                caller
                    ? Status.UNAVAILABLE.withDescription("call stream closed before the call ended")
                    : Status.CANCELLED.withDescription("the caller went away")));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    loop.execute(
        () -> fail(Status.INTERNAL.withDescription("malformed frame: " + cause.getMessage())));
  }

  /** The caller could not open a stream at all: the call fails, and so does all that waited. */
  void failToOpen(Status status) {
    loop.execute(() -> fail(status));
    settle(null);
  }

  private void attach(QuicStreamChannel stream) {
    settle(stream);
  }

  private void settle(QuicStreamChannel stream) {
    List<Runnable> pending;
    synchronized (beforeChannel) {
      channel = stream;
      settled = true;
      pending = new ArrayList<>(beforeChannel);
      beforeChannel.clear();
    }
    pending.forEach(loop::execute);
  }

  /** Runs {@code op} on the loop once the stream exists, or failed to open. */
  private void withChannel(Runnable op) {
    synchronized (beforeChannel) {
      if (!settled) {
        beforeChannel.add(op);
        return;
      }
    }
    loop.execute(op);
  }

  // ---- frames (loop) ----

  private void onFrame(Object msg) {
    if (finished) {
      return;
    }
    if (msg instanceof FrameCodec.Oversized oversized) {
      fail(Status.RESOURCE_EXHAUSTED.withDescription(oversized.describe("stream message")));
      return;
    }
    Frame frame = (Frame) msg;
    switch (frame.getKindCase()) {
      case MESSAGE -> {
        ByteString payload = frame.getMessage().getPayload();
        Optional<Status> tooLarge = WireStatus.tooLarge(limit, "stream message", payload.size());
        if (tooLarge.isPresent()) {
          fail(tooLarge.get());
          return;
        }
        reply.readHeaders(frame.getMessage());
        if (!inboundSignalled) {
          received.add(payload);
        }
      }
      case RESPONSE -> {
        if (!caller) {
          fail(Status.INTERNAL.withDescription("protocol error: a Response sent to the callee"));
          return;
        }
        finished = true;
        reply.readEnd(frame.getResponse());
        endInbound(WireStatus.fromResponse(frame.getResponse()));
        cancelOutbound();
        channel.shutdownOutput(); // a FIN, not a close: see OutboundCall
      }
      case HALF_CLOSE -> {
        if (caller) {
          fail(Status.INTERNAL.withDescription("protocol error: a HalfClose sent to the caller"));
          return;
        }
        endInbound(Status.OK);
      }
      case CANCEL ->
          fail(
              Status.CANCELLED.withDescription(
                  "the caller cancelled: " + frame.getCancel().getReason()));
      default ->
          fail(
              Status.INTERNAL.withDescription(
                  "protocol error: " + frame.getKindCase() + " on a call stream"));
    }
    pump();
  }

  // ---- inbound ----

  @Override
  public Flow.Publisher<ByteString> inbound() {
    return subscriber ->
        withChannel(
            () -> {
              if (inboundSubscriber != null) {
                FailedPublisher.fail(subscriber, new IllegalStateException("one subscriber only"));
                return;
              }
              inboundSubscriber = subscriber;
              subscriber.onSubscribe(
                  new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                      loop.execute(
                          () -> {
                            demand = n <= 0 || demand + n < 0 ? Long.MAX_VALUE : demand + n;
                            pump();
                          });
                    }

                    @Override
                    public void cancel() {
                      if (caller) {
                        QuicCallStream.this.cancel(); // the caller gives up on the call
                      } else {
                        loop.execute(
                            () -> { // the handler stops reading requests; it may still reply
                              inboundSignalled = true;
                              received.clear();
                              listenForCancel();
                            });
                      }
                    }
                  });
              pump();
            });
  }

  /**
   * Delivers what is buffered and wanted; reads more when nothing is buffered but some is wanted.
   */
  private void pump() {
    if (inboundSubscriber == null || inboundSignalled) {
      return;
    }
    while (demand > 0 && !received.isEmpty()) {
      demand--;
      inboundSubscriber.onNext(received.poll());
      if (inboundSignalled) {
        return; // the subscriber cancelled from onNext
      }
    }
    if (received.isEmpty() && inboundEnd != null) {
      inboundSignalled = true;
      if (inboundEnd.isOk()) {
        inboundSubscriber.onComplete();
      } else {
        inboundSubscriber.onError(inboundEnd.asException());
      }
      listenForCancel();
    } else if (demand > 0
        && received.isEmpty()
        && !reading
        && channel != null
        && channel.isActive()) {
      reading = true;
      channel.read();
    }
  }

  /**
   * Once the callee reads no more requests, the stream reads on its own again, so that a Cancel (or
   * the stream's reset) still reaches it; anything else arriving is dropped.
   */
  private void listenForCancel() {
    if (!caller && !finished && channel != null) {
      channel.config().setAutoRead(true);
    }
  }

  private void endInbound(Status status) {
    if (inboundEnd == null) {
      inboundEnd = status;
    }
    if (!status.isOk()) {
      received.clear(); // a failed call delivers no more messages
    }
  }

  // ---- outbound ----

  @Override
  public Flow.Subscriber<ByteString> outbound() {
    return new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        withChannel(
            () -> {
              outboundSubscription = s;
              if (finished) {
                s.cancel();
              } else {
                requestOutbound();
              }
            });
      }

      @Override
      public void onNext(ByteString message) {
        withChannel(
            () -> {
              outboundRequested = false;
              if (finished) {
                return;
              }
              Optional<Status> tooLarge =
                  WireStatus.tooLarge(limit, "stream message", message.size());
              if (tooLarge.isPresent()) {
                fail(tooLarge.get());
                return;
              }
              StreamMessage.Builder frame = StreamMessage.newBuilder().setPayload(message);
              channel.writeAndFlush(
                  Frame.newBuilder()
                      .setMessage(reply.writeHeaders(frame, !caller && !headersWritten))
                      .build(),
                  channel.voidPromise());
              headersWritten = true;
              requestOutbound();
            });
      }

      @Override
      public void onError(Throwable error) {
        withChannel(
            () -> {
              outboundDone = true;
              fail(Status.fromThrowable(error));
            });
      }

      @Override
      public void onComplete() {
        withChannel(
            () -> {
              outboundDone = true;
              if (finished) {
                return;
              }
              if (caller) {
                channel.writeAndFlush(
                    Frame.newBuilder().setHalfClose(HalfClose.getDefaultInstance()).build());
              } else {
                finished = true;
                endInbound(Status.OK);
                sendTrailer(Status.OK);
              }
            });
      }
    };
  }

  private void requestOutbound() {
    Flow.Subscription s = outboundSubscription;
    if (s != null
        && !outboundRequested
        && !outboundDone
        && !finished
        && channel != null
        && channel.isWritable()) {
      outboundRequested = true;
      s.request(1);
    }
  }

  private void cancelOutbound() {
    Flow.Subscription s = outboundSubscription;
    if (s != null && !outboundDone) {
      outboundDone = true;
      s.cancel();
    }
  }

  // ---- ending ----

  @Override
  public void cancel() {
    withChannel(() -> fail(Status.CANCELLED.withDescription("cancelled")));
  }

  /** Ends the call with {@code status}: both directions stop, and the peer is told. */
  private void fail(Status status) {
    if (finished) {
      return;
    }
    finished = true;
    endInbound(status);
    cancelOutbound();
    QuicStreamChannel stream = channel;
    if (stream != null && stream.isActive()) {
      if (caller) {
        stream
            .writeAndFlush(
                Frame.newBuilder()
                    .setCancel(Cancel.newBuilder().setReason(String.valueOf(status.description())))
                    .build())
            .addListener(ChannelFutureListener.CLOSE);
      } else {
        sendTrailer(status);
      }
    }
    pump();
  }

  private void sendTrailer(Status status) {
    Response trailer =
        status.isOk() ? Response.getDefaultInstance() : WireStatus.toResponse(status);
    InboundCalls.reply(channel, reply.writeEnd(trailer, headersWritten));
  }

  @Override
  public ReplyMetadata replyMetadata() {
    return reply;
  }
}
