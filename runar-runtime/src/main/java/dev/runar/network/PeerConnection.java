package dev.runar.network;

import dev.runar.wire.Event;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An authenticated, handshaken connection to one peer node.
 *
 * <p>Calls are independent: none waits for another to finish (a transport may multiplex them). A
 * call completes with the peer's response, which may carry a failure status; it fails with a {@link
 * dev.runar.StatusException} when the transport could not complete it: UNAVAILABLE once the
 * connection closes (at once for calls in flight), RESOURCE_EXHAUSTED for a request over the size
 * limit. A failure of a call no handler saw, either way, is marked not started ({@link NotStarted},
 * {@code Response.not_started}). Cancelling a call (its future, or its {@link SentCall}) cancels
 * the call on the peer.
 *
 * <p><b>Experimental:</b> the transport SPI may change between minor versions.
 */
public interface PeerConnection {
  /** The peer's node id, as verified during the handshake. */
  String peerId();

  /** The peer's latest node info: from its handshake, then from its capability updates. */
  NodeInfo peerInfo();

  /** Whether this side dialed the connection. */
  boolean isDialer();

  /** True from the handshake until the connection starts closing. */
  boolean isOpen();

  /**
   * Sends a request, {@code header} with {@code payload} as its payload, and completes with the
   * peer's response (which may carry an error status).
   *
   * @throws IllegalArgumentException when {@code header} carries a payload of its own
   */
  CompletableFuture<Response> call(Request header, Payload payload);

  /**
   * As {@link #call(Request, Payload)}, with {@code timeoutMicros} sent as the request's time left
   * in place of {@code header}'s own: a caller builds the header of a method's calls once and
   * reuses it for each call, only the time left changing. This default builds a header per call; a
   * transport overrides it to write the time left without one.
   *
   * @throws IllegalArgumentException when {@code header} carries a payload of its own
   */
  default CompletableFuture<Response> call(Request header, long timeoutMicros, Payload payload) {
    return call(header.toBuilder().setTimeoutMicros(timeoutMicros).build(), payload);
  }

  /**
   * As {@link #call(Request, long, Payload)}, with {@code listener} told the outcome in place of a
   * future: what a node's unary calls use, since a future and a stage on it per call cost more than
   * the call's own work in the transport. This default adapts the future; a transport overrides it
   * to tell the listener directly.
   *
   * @throws IllegalArgumentException when {@code header} carries a payload of its own
   */
  default SentCall call(
      Request header, long timeoutMicros, Payload payload, ResponseListener listener) {
    return SentCall.of(call(header, timeoutMicros, payload), listener);
  }

  /**
   * Opens a streaming call: {@code header} (path, deadline, metadata, shape; no payload) first,
   * then the messages of the returned stream. Fails through the stream: UNAVAILABLE once the
   * connection closes. The transport fills {@code reply} with the response headers and trailers as
   * they arrive.
   */
  CallStream openStream(Request header, ReplyMetadata reply);

  /** Sends an event for the peer's subscribers; events to one peer arrive in the order sent. */
  void sendEvent(Event event);

  /**
   * What the transport measures of this connection now (RTT, congestion window, packets and bytes
   * sent, received and lost); empty when it measures nothing, or the connection has closed.
   */
  default CompletableFuture<Optional<TransportStats>> transportStats() {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  /** Closes gracefully: goodbye, in-flight calls get the grace period, then the connection ends. */
  CompletableFuture<Void> close();

  /** Completes when the connection has closed, whoever closed it. */
  CompletableFuture<Void> closeFuture();
}
