package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.MessageLimit;
import dev.runar.network.ReplyMetadata;
import dev.runar.network.WireStatus;
import dev.runar.wire.Cancel;
import dev.runar.wire.Frame;
import dev.runar.wire.HalfClose;
import dev.runar.wire.Request;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The caller's side of a streaming call: opens with its {@code Request} header, sends the requests
 * and then a {@code HalfClose}, reads the responses until the callee's final {@code Response}; to
 * cancel, sends {@code Cancel} and its FIN, and drops what still arrives until the callee's FIN.
 *
 * <p>Threading: as {@link QuicStreamCall}; the channel callbacks below run on the event loop and
 * touch only the channel.
 */
final class CallerStream extends QuicStreamCall {
  private final Request header;

  /** How long the callee may take to end its side once this side cancelled. */
  private final Duration calleeEndTimeout;

  CallerStream(
      Request header,
      MessageLimit limit,
      Executor callbacks,
      ReplyMetadata reply,
      Duration calleeEndTimeout) {
    super(limit, callbacks, reply);
    this.header = header;
    this.calleeEndTimeout = calleeEndTimeout;
  }

  @Override
  boolean sendsHeaders() {
    return false;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(false);
    attach((QuicStreamChannel) ctx.channel());
  }

  @Override
  void opened(QuicStreamChannel stream) {
    send(stream, OutboundFrame.of(Frame.newBuilder().setRequest(header).build()));
  }

  @Override
  Status streamClosedStatus() {
    return Status.UNAVAILABLE.withDescription("call stream closed before the call ended");
  }

  @Override
  void onControlFrame(Frame frame) {
    if (!frame.hasResponse()) {
      fail(Status.INTERNAL.withDescription("protocol error: a HalfClose sent to the caller"));
      return;
    }
    finished = true;
    reply.readEnd(frame.getResponse());
    endInboundAfter(WireStatus.fromResponse(frame.getResponse()));
    cancelOutbound();
    channel.shutdownOutput(); // a FIN, not a close: both sides' FINs retire the stream
  }

  @Override
  void inboundCancelled() {
    cancel(); // the caller gives up on the call
  }

  /**
   * The caller hears the call's end without asking for messages (as gRPC's does): a callee failing
   * before its first message. What one read brings is bounded by the stream's window, and the
   * caller opened the stream for a call of its own.
   */
  @Override
  boolean readsAhead() {
    return true;
  }

  @Override
  void outboundCompleted() {
    QuicStreamChannel stream = channel;
    afterQueued(
        () ->
            stream.writeAndFlush(
                Frame.newBuilder().setHalfClose(HalfClose.getDefaultInstance()).build()));
  }

  @Override
  void tellPeer(QuicStreamChannel stream, Status status) {
    Frame cancel =
        Frame.newBuilder()
            .setCancel(Cancel.newBuilder().setReason(String.valueOf(status.description())))
            .build();
    // Also on the control stream: on the call's own stream the Cancel waits behind the messages
    // queued before it, which a callee that reads no more leaves there.
    QuicConnection connection = stream.parent().attr(QuicConnection.KEY).get();
    if (connection != null) {
      connection
          .control()
          .write(
              Frame.newBuilder()
                  .setCancel(cancel.getCancel().toBuilder().setStreamId(stream.streamId()))
                  .build());
    }
    afterQueued(
        () -> {
          // Not closed at once: the callee's messages already on their way are read (and
          // dropped) up to its FIN, or they would keep the connection's flow-control credit.
          stream.writeAndFlush(cancel);
          stream.shutdownOutput();
          discardUntilPeerEnds(stream, calleeEndTimeout);
        });
  }
}
