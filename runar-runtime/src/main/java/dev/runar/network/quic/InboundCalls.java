package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.WireStatus;
import dev.runar.wire.Frame;
import dev.runar.wire.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** The callee's side of a call stream: one response frame, then the stream's output ends. */
final class InboundCalls {
  private InboundCalls() {}

  /**
   * Sends {@code response}'s outcome back on {@code stream} when it completes, and cancels it when
   * the stream closes first (the caller cancelled, or the connection was lost). {@code done}
   * completes once the reply was written or the stream closed.
   */
  static void serve(
      QuicStreamChannel stream,
      CompletableFuture<Response> response,
      int maxMessageSize,
      CompletableFuture<Void> done) {
    stream
        .closeFuture()
        .addListener(
            f -> {
              response.cancel(false);
              done.complete(null);
            });
    response.whenComplete(
        (reply, error) -> {
          Response outcome =
              error != null ? WireStatus.toResponse(Status.fromThrowable(error)) : reply;
          if (outcome.getPayload().size() > maxMessageSize) {
            outcome =
                WireStatus.toResponse(
                    Status.RESOURCE_EXHAUSTED.withDescription(
                        "reply of " + outcome.getPayload().size() + " bytes exceeds the limit of "
                            + maxMessageSize));
          }
          reply(stream, outcome).addListener(f -> done.complete(null));
        });
  }

  /**
   * Writes {@code response} as the last frame of {@code stream}, with the FIN in the same write:
   * data and FIN then travel together, so the caller reads both at once and the stream retires
   * cleanly on both sides (a FIN arriving after the caller closed its stream would never be read,
   * and QUIC would keep the stream around).
   */
  static ChannelFuture reply(QuicStreamChannel stream, Response response) {
    ByteBuf frame;
    try {
      frame = FrameCodec.encode(stream.alloc(), Frame.newBuilder().setResponse(response).build());
    } catch (IOException e) {
      return stream.close();
    }
    return stream.writeAndFlush(new DefaultQuicStreamFrame(frame, true));
  }
}
