package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.MessageLimit;
import dev.runar.network.Reply;
import dev.runar.network.WireStatus;
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
      CompletableFuture<Reply> response,
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
  static Reply outcome(Reply reply, Throwable error, MessageLimit limit) {
    if (error != null) {
      return Reply.of(WireStatus.toResponse(Status.fromThrowable(error)));
    }
    Optional<Status> tooLarge = WireStatus.tooLarge(limit, "reply", reply.payload().size());
    return tooLarge.isPresent() ? Reply.of(WireStatus.toResponse(tooLarge.get())) : reply;
  }

  /** Writes {@code response} as the last frame of {@code stream}, FIN included. */
  static ChannelFuture reply(QuicStreamChannel stream, Response response) {
    return reply(stream, Reply.of(response));
  }

  /** Writes {@code reply} as the last frame of {@code stream}, FIN included. */
  static ChannelFuture reply(QuicStreamChannel stream, Reply reply) {
    return FrameCodec.writeLast(stream, LaneFrames.response(reply, 0));
  }
}
