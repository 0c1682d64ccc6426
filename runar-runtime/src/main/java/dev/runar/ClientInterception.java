package dev.runar;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one client call, in interceptor order: requests go to them first to last,
 * headers, responses and the close last to first. A listener that throws is logged and skipped.
 * {@link #close} runs once.
 */
final class ClientInterception implements ClientCallListener {
  private static final Logger log = LoggerFactory.getLogger(ClientInterception.class);

  /** No listeners: a call without interceptors (stateless, so shared). */
  static final ClientInterception NONE = new ClientInterception(ImmutableList.of());

  private final ImmutableList<ClientCallListener> listeners;
  private boolean headersSeen; // response side: one thread at a time
  private boolean closed; // guarded by this

  private ClientInterception(ImmutableList<ClientCallListener> listeners) {
    this.listeners = listeners;
  }

  /**
   * Runs {@code interceptors}' {@code interceptCall} in order. Returns the listeners, or the status
   * (and trailers, as a {@link StatusException}) an interceptor refused the call with; the
   * listeners of those that ran before it have then been closed with it.
   */
  static Result start(List<ClientInterceptor> interceptors, ClientCallInfo info) {
    List<ClientCallListener> started = new ArrayList<>(interceptors.size());
    for (ClientInterceptor interceptor : interceptors) {
      try {
        ClientCallListener listener = interceptor.interceptCall(info);
        started.add(listener == null ? NONE : listener);
      } catch (RuntimeException e) {
        StatusException refusal = refusal(e);
        new ClientInterception(ImmutableList.copyOf(started))
            .close(refusal.status(), refusal.trailers());
        return new Result(Optional.empty(), Optional.of(refusal));
      }
    }
    return new Result(
        Optional.of(new ClientInterception(ImmutableList.copyOf(started))), Optional.empty());
  }

  private static StatusException refusal(RuntimeException e) {
    if (e instanceof StatusException se) {
      return se;
    }
    log.warn("a client interceptor failed", e);
    return Status.fromThrowable(e).augmentDescription("client interceptor failed").asException();
  }

  /** What {@link #start} gives: listeners, or the refusal. */
  record Result(Optional<ClientInterception> listeners, Optional<StatusException> refusal) {}

  @Override
  public void onRequest(Message request) {
    for (ClientCallListener l : listeners) {
      safely(() -> l.onRequest(request));
    }
  }

  @Override
  public void onHeaders(Metadata headers) {
    if (listeners.isEmpty() || headersSeen) {
      return;
    }
    headersSeen = true;
    for (ClientCallListener l : listeners.reverse()) {
      safely(() -> l.onHeaders(headers));
    }
  }

  @Override
  public void onResponse(Message response) {
    for (ClientCallListener l : listeners.reverse()) {
      safely(() -> l.onResponse(response));
    }
  }

  /** Headers (unless seen) then the close, once. */
  @Override
  public void onClose(Status status, Metadata trailers) {
    close(status, trailers);
  }

  void close(Status status, Metadata trailers) {
    if (listeners.isEmpty()) {
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (!headersSeen) {
      onHeaders(Metadata.EMPTY);
    }
    for (ClientCallListener l : listeners.reverse()) {
      safely(() -> l.onClose(status, trailers));
    }
  }

  static void safely(Runnable listenerCall) {
    try {
      listenerCall.run();
    } catch (RuntimeException e) {
      log.warn("a call listener failed", e);
    }
  }
}
