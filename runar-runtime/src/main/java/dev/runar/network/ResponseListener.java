package dev.runar.network;

import dev.runar.wire.Response;

/**
 * Hears the outcome of one unary call sent with {@link PeerConnection#call(dev.runar.wire.Request,
 * long, Payload, ResponseListener)}: exactly one of its methods runs, once, on the transport's
 * callback executor (never an I/O thread); on the sending thread for a call refused as it is sent,
 * on the cancelling thread for a call cancelled.
 *
 * <p><b>Experimental:</b> part of the transport SPI, which may change between minor versions.
 */
public interface ResponseListener {
  /** The peer's response, which may carry a failure status. */
  void onResponse(Response response);

  /**
   * The transport could not complete the call, as for {@link PeerConnection#call(
   * dev.runar.wire.Request, Payload)}: a {@link dev.runar.StatusException}, or a {@link
   * java.util.concurrent.CancellationException} once the caller {@link SentCall#cancel cancelled}.
   */
  void onFailure(Throwable failure);
}
