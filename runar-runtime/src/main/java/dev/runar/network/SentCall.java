package dev.runar.network;

import dev.runar.wire.Response;
import java.util.concurrent.CompletableFuture;

/**
 * A unary call on its way, sent with {@link PeerConnection#call(dev.runar.wire.Request, long,
 * Payload, ResponseListener)}: what its caller can still do to it. Thread-safe.
 *
 * <p><b>Experimental:</b> part of the transport SPI, which may change between minor versions.
 */
@FunctionalInterface
public interface SentCall {
  /**
   * Gives up on the call unless it has ended: the peer is told, and the listener hears a {@link
   * java.util.concurrent.CancellationException} on this thread. Idempotent.
   */
  void cancel();

  /**
   * A call made as a future, {@code listener} told its outcome: for a transport that answers unary
   * calls as futures.
   */
  static SentCall of(CompletableFuture<Response> call, ResponseListener listener) {
    call.whenComplete(
        (response, failure) -> {
          if (failure == null) {
            listener.onResponse(response);
          } else {
            listener.onFailure(failure);
          }
        });
    return () -> call.cancel(false);
  }
}
