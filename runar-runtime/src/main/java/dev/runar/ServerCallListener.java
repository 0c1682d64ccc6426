package dev.runar;

import com.google.protobuf.Message;

/**
 * Observes one call a {@link ServerInterceptor} intercepted. Every method has a default that does
 * nothing. For one call the methods may run on different threads, but {@link #onClose} runs exactly
 * once and last, before the status and trailers are sent: it may still add trailers through {@link
 * CallContext#responseTrailers()}.
 */
public interface ServerCallListener {
  /** A listener that does nothing. */
  ServerCallListener NONE = new ServerCallListener() {};

  /** A request message, before the handler receives it. */
  default void onRequest(Message request) {}

  /** A response message the handler produced, before it is sent. */
  default void onResponse(Message response) {}

  /** The call is ending with {@code status}. */
  default void onClose(Status status) {}
}
