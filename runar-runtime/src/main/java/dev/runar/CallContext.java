package dev.runar;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableMap;
import dev.runar.registry.TopicPath;

/**
 * What a handler knows about the call it is serving: the concrete path called, the values of the
 * path's {@code {template}} segments, the deadline, the caller's metadata, and whether the call was
 * cancelled.
 *
 * <p>Handed to every {@link UnaryHandler}; a generated server method, which takes only the request,
 * reads it with {@link #current()} while it runs on the handler thread.
 */
public final class CallContext {
  private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

  private final TopicPath path;
  private final ImmutableMap<String, String> pathParams;
  private final Deadline deadline;
  private final ImmutableMap<String, String> metadata;
  private volatile boolean cancelled;

  CallContext(
      TopicPath path,
      ImmutableMap<String, String> pathParams,
      Deadline deadline,
      ImmutableMap<String, String> metadata) {
    this.path = path;
    this.pathParams = pathParams;
    this.deadline = deadline;
    this.metadata = metadata;
  }

  /**
   * The context of the call the current thread is serving.
   *
   * @throws IllegalStateException outside a handler invocation (for an asynchronous handler, only
   *     the synchronous part of the invocation sees it: capture it there)
   */
  public static CallContext current() {
    CallContext ctx = CURRENT.get();
    if (ctx == null) {
      throw new IllegalStateException("no Runar call is being served on this thread");
    }
    return ctx;
  }

  /** Runs {@code body} with this context as {@link #current()}, restoring the previous one. */
  <T> T runWith(ThrowingSupplier<T> body) throws Exception {
    CallContext previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return body.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** The concrete path the caller addressed. */
  public TopicPath path() {
    return path;
  }

  /** Values captured by {@code {name}} segments of the action's path. */
  public ImmutableMap<String, String> pathParams() {
    return pathParams;
  }

  /** A captured path value, or null. */
  public String pathParam(String name) {
    return pathParams.get(name);
  }

  public Deadline deadline() {
    return deadline;
  }

  public ImmutableMap<String, String> metadata() {
    return metadata;
  }

  /** True once the caller cancelled, the deadline passed, or the node stopped the call. */
  public boolean isCancelled() {
    return cancelled;
  }

  void cancel() {
    cancelled = true;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("path", path)
        .add("pathParams", pathParams)
        .add("deadline", deadline)
        .add("metadata", metadata)
        .add("cancelled", cancelled)
        .toString();
  }

  /** A supplier that may throw, as handlers do. */
  @FunctionalInterface
  interface ThrowingSupplier<T> {
    T get() throws Exception;
  }
}
