package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.MessageLimit;
import dev.runar.network.WireStatus;
import dev.runar.wire.Frame;
import dev.runar.wire.Response;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.Optional;
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
      MessageLimit limit,
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
          if (!stream.isActive() || stream.eventLoop().isShuttingDown()) {
            done.complete(null); // the caller or the transport is gone: no one to answer
            return;
          }
          reply(stream, outcome(reply, error, limit)).addListener(f -> done.complete(null));
        });
  }

  /**
   * The reply to send for a handler's outcome: its response, or its failure, within limits. Lanes
   * ({@link Serving}) send the same.
   */
  static Response outcome(Response reply, Throwable error, MessageLimit limit) {
    Response outcome = error != null ? WireStatus.toResponse(Status.fromThrowable(error)) : reply;
    Optional<Status> tooLarge = WireStatus.tooLarge(limit, "reply", outcome.getPayload().size());
    return tooLarge.isPresent() ? WireStatus.toResponse(tooLarge.get()) : outcome;
  }

  /** Writes {@code response} as the last frame of {@code stream}, FIN included. */
  static ChannelFuture reply(QuicStreamChannel stream, Response response) {
    return FrameCodec.writeLast(stream, Frame.newBuilder().setResponse(response).build());
  }
}
