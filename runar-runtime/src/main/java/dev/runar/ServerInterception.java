package dev.runar;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server listeners of one call, in interceptor order: requests first to last, responses and the
 * close last to first; a listener that throws is logged and skipped. {@link #close} runs once.
 */
final class ServerInterception implements ServerCallListener {
  private static final Logger log = LoggerFactory.getLogger(ServerInterception.class);

  /** No listeners: shared, since it keeps no state (its close flag is never touched). */
  private static final ServerInterception EMPTY = new ServerInterception(ImmutableList.of());

  private final ImmutableList<ServerCallListener> listeners;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ServerInterception(ImmutableList<ServerCallListener> listeners) {
    this.listeners = listeners;
  }

  /**
   * Runs the node's, then the service's, interceptors on {@code call}.
   *
   * @throws StatusException the refusal of an interceptor (its trailers added to the call's); the
   *     listeners of those that ran before it have been closed with it
   */
  static ServerInterception start(List<ServerInterceptor> interceptors, CallContext call) {
    if (interceptors.isEmpty()) {
      return EMPTY;
    }
    List<ServerCallListener> started = new ArrayList<>(interceptors.size());
    for (ServerInterceptor interceptor : interceptors) {
      try {
        ServerCallListener listener = interceptor.interceptCall(call);
        started.add(listener == null ? NONE : listener);
      } catch (RuntimeException e) {
        StatusException refusal;
        if (e instanceof StatusException se) {
          refusal = se;
        } else {
          log.warn("a server interceptor of {} failed", call.path(), e);
          refusal =
              Status.fromThrowable(e).augmentDescription("server interceptor failed").asException();
        }
        call.responseTrailers().putAll(refusal.trailers());
        new ServerInterception(ImmutableList.copyOf(started)).onClose(refusal.status());
        throw refusal;
      }
    }
    return new ServerInterception(ImmutableList.copyOf(started));
  }

  @Override
  public void onRequest(Message request) {
    for (ServerCallListener l : listeners) {
      ClientInterception.safely(() -> l.onRequest(request));
    }
  }

  @Override
  public void onResponse(Message response) {
    if (listeners.isEmpty()) {
      return;
    }
    for (ServerCallListener l : listeners.reverse()) {
      ClientInterception.safely(() -> l.onResponse(response));
    }
  }

  @Override
  public void onClose(Status status) {
    if (!listeners.isEmpty() && closed.compareAndSet(false, true)) {
      for (ServerCallListener l : listeners.reverse()) {
        ClientInterception.safely(() -> l.onClose(status));
      }
    }
  }
}
