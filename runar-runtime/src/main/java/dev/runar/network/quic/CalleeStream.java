package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.MessageLimit;
import dev.runar.network.ReplyMetadata;
import dev.runar.wire.Frame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The callee's side of a streaming call, on the stream whose {@code Request} header was just read:
 * delivers the requests until the caller's {@code HalfClose}, sends the responses, and ends the
 * call with a final {@code Response} (the status) and a FIN, after which it drops what the caller
 * still sends until the caller's FIN closes the stream.
 *
 * <p>Threading: as {@link QuicStreamCall}.
 */
final class CalleeStream extends QuicStreamCall {
  /** How long the caller may take to end its side once the call ended here. */
  private final Duration callerEndTimeout;

  CalleeStream(
      QuicStreamChannel stream, MessageLimit limit, Executor callbacks, Duration callerEndTimeout) {
    super(limit, callbacks, new ReplyMetadata());
    this.callerEndTimeout = callerEndTimeout;
    stream.config().setAutoRead(false);
    attach(stream);
  }

  @Override
  boolean sendsHeaders() {
    return true;
  }

  @Override
  Status streamClosedStatus() {
    return Status.CANCELLED.withDescription("the caller went away");
  }

  @Override
  void onControlFrame(Frame frame) {
    if (!frame.hasHalfClose()) {
      fail(Status.INTERNAL.withDescription("protocol error: a Response sent to the callee"));
      return;
    }
    endInbound(Status.OK);
  }

  @Override
  void inboundCancelled() {
    loop.execute(
        () -> { // the handler stops reading requests; it may still reply
          inboundSignalled = true;
          dropReceived();
          inboundEnded();
        });
  }

  /**
   * Once the callee reads no more requests, the stream reads on its own again, so that a Cancel (or
   * the stream's reset) still reaches it; anything else arriving is dropped.
   */
  @Override
  void inboundEnded() {
    droppingMessages = true;
    if (!finished && channel != null) {
      channel.config().setAutoRead(true);
    }
  }

  /**
   * The callee reads requests only as its handler asks: a caller may open many streams, and what is
   * read no longer counts against the connection's flow-control window. A Cancel comes on the
   * control stream too.
   */
  @Override
  boolean readsAhead() {
    return false;
  }

  /** The caller's {@code Cancel} for this call came on the control stream. Event loop. */
  void cancelledByCaller(String reason) {
    loop.execute(() -> fail(cancelledByCallerStatus(reason)));
  }

  /** The caller's FIN: before its {@code HalfClose}, the caller abandoned the call. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      loop.execute(
          () -> {
            if (!finished && inboundOpen()) {
              fail(
                  Status.CANCELLED.withDescription(
                      "the caller ended its side without a HalfClose"));
            }
          });
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  void outboundCompleted() {
    finished = true;
    endInbound(Status.OK);
    sendTrailer(Status.OK, callerEndTimeout);
  }

  @Override
  void tellPeer(QuicStreamChannel stream, Status status) {
    sendTrailer(status, callerEndTimeout);
  }
}
