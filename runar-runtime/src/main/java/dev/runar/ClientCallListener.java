package dev.runar;

import com.google.protobuf.Message;

/**
 * Observes one call a {@link ClientInterceptor} intercepted. Every method has a default that does
 * nothing. The methods may run on different threads (the caller's, the node's callback pool, the
 * thread that completed the call); the response side ({@code onHeaders}, {@code onResponse}, {@code
 * onClose}) runs one at a time, in order, but in a streaming call {@code onRequest} may run
 * concurrently with it. A listener that throws is logged and otherwise ignored.
 *
 * <p>{@link #onHeaders} runs once, before the first response (or before {@link #onClose} when there
 * is none); {@link #onClose} runs exactly once, last, and before the caller sees the outcome.
 */
public interface ClientCallListener {
  /** A listener that does nothing. */
  ClientCallListener NONE = new ClientCallListener() {};

  /** A request message, as it is sent. */
  default void onRequest(Message request) {}

  /** The callee's response headers (empty when it sent none). */
  default void onHeaders(Metadata headers) {}

  /** A response message, before the caller receives it. */
  default void onResponse(Message response) {}

  /** The call ended with {@code status} and the callee's {@code trailers}. */
  default void onClose(Status status, Metadata trailers) {}
}
