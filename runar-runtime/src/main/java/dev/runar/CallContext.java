package dev.runar;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableMap;
import dev.runar.registry.TopicPath;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;

/**
 * The call a handler is serving: the concrete path called, the values of the path's {@code
 * {template}} segments, the method, the deadline, the caller's metadata, the response headers and
 * trailers to send, and whether the call was cancelled.
 *
 * <p><b>Propagation.</b> While a handler runs, its context is {@link #current()} on the handler's
 * thread, and every call made from that thread is its child: the child's deadline is the earlier of
 * its own and this one, and the child is cancelled (with CANCELLED, or DEADLINE_EXCEEDED when this
 * call's deadline passed) as soon as this call ends, locally and on any node the child runs on.
 * Work handed to another thread carries the context only when wrapped ({@link #wrap(Runnable)},
 * {@link #wrap(Executor)}); {@link #runDetached} runs a call that must outlive this one. See {@code
 * docs/context.md}.
 *
 * <p><b>Cancellation.</b> The context is cancelled once the call ends, however it ends (as gRPC's
 * server context is): {@link #isCancelled()} turns true and the {@link
 * #addCancellationListener(Consumer) listeners} run.
 *
 * <p>Thread-safe.
 */
public final class CallContext {
  private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();
  private static final AtomicReferenceFieldUpdater<CallContext, Status> CANCELLATION =
      AtomicReferenceFieldUpdater.newUpdater(CallContext.class, Status.class, "cancellation");

  private final TopicPath path;
  private final ImmutableMap<String, String> pathParams;
  private final MethodDescriptor<?, ?> method;
  private final Deadline deadline;
  private final Metadata metadata;
  private final Object lock = new Object();
  // Each created when first used, under lock, since most calls use none of them. Volatile, so that
  // the end of a call that used none (most) takes no lock.
  private volatile Metadata.Builder responseHeaders;
  private volatile Metadata.Builder responseTrailers;
  private volatile Set<Consumer<Status>> listeners;
  private volatile Status cancellation;

  CallContext(
      TopicPath path,
      ImmutableMap<String, String> pathParams,
      MethodDescriptor<?, ?> method,
      Deadline deadline,
      Metadata metadata) {
    this.path = path;
    this.pathParams = pathParams;
    this.method = method;
    this.deadline = deadline;
    this.metadata = metadata;
  }

  /**
   * The context of the call the current thread is serving.
   *
   * @throws IllegalStateException outside a handler invocation (for an asynchronous handler, only
   *     the synchronous part of the invocation sees it: capture it there, or {@link #wrap} what
   *     runs later)
   */
  public static CallContext current() {
    CallContext ctx = CURRENT.get();
    if (ctx == null) {
      throw new IllegalStateException("no Runar call is being served on this thread");
    }
    return ctx;
  }

  /** The context of the call the current thread is serving, if it serves one. */
  public static Optional<CallContext> find() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * Runs {@code body} outside any call's context: calls it makes are not children of the call this
   * thread serves (they keep their own deadline and survive its cancellation), as grpc-java's
   * {@code Context.ROOT.run}.
   */
  public static void runDetached(Runnable body) {
    CallContext previous = enter(null);
    try {
      body.run();
    } finally {
      leave(previous);
    }
  }

  /** {@link #runDetached(Runnable)} for a body with a result. */
  public static <T> T callDetached(Callable<T> body) throws Exception {
    CallContext previous = enter(null);
    try {
      return body.call();
    } finally {
      leave(previous);
    }
  }

  /** Runs {@code body} with this context as {@link #current()}, restoring the previous one. */
  public void run(Runnable body) {
    CallContext previous = enter(this);
    try {
      body.run();
    } finally {
      leave(previous);
    }
  }

  /** Runs {@code body} with this context as {@link #current()}, restoring the previous one. */
  public <T> T call(Callable<T> body) throws Exception {
    CallContext previous = enter(this);
    try {
      return body.call();
    } finally {
      leave(previous);
    }
  }

  /** {@code task}, made to run with this context current on whatever thread runs it. */
  public Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> run(task);
  }

  /** {@code task}, made to run with this context current on whatever thread runs it. */
  public <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return () -> call(task);
  }

  /**
   * An executor that runs every task on {@code executor} with this context current, as grpc-java's
   * {@code Context.fixedContextExecutor}: for a handler's continuations that make calls.
   */
  public Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(wrap(task));
  }

  // Set to null rather than removed: a removed entry is created again by the next get(), which
  // every call makes.
  private static CallContext enter(CallContext context) {
    CallContext previous = CURRENT.get();
    CURRENT.set(context);
    return previous;
  }

  private static void leave(CallContext previous) {
    CURRENT.set(previous);
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

  /** The method called: its path, shape and message types. */
  public MethodDescriptor<?, ?> method() {
    return method;
  }

  /** When the call must end: the caller's deadline (and so its ancestors'). */
  public Deadline deadline() {
    return deadline;
  }

  /** The caller's text metadata. */
  public ImmutableMap<String, String> metadata() {
    return metadata.strings();
  }

  /** The caller's metadata, text and binary, as its interceptors left it. */
  public Metadata requestMetadata() {
    return metadata;
  }

  /**
   * The response headers to send: add to them before the first response (later additions are not
   * sent). Interceptors and the handler share them.
   */
  public Metadata.Builder responseHeaders() {
    synchronized (lock) {
      if (responseHeaders == null) {
        responseHeaders = Metadata.builder();
      }
      return responseHeaders;
    }
  }

  /** The response headers added so far. */
  Metadata builtResponseHeaders() {
    Metadata.Builder headers = responseHeaders;
    return headers == null ? Metadata.EMPTY : headers.build();
  }

  /** The response trailers to send with the call's status, whatever it is. */
  public Metadata.Builder responseTrailers() {
    synchronized (lock) {
      if (responseTrailers == null) {
        responseTrailers = Metadata.builder();
      }
      return responseTrailers;
    }
  }

  /** The response trailers added so far. */
  Metadata builtResponseTrailers() {
    Metadata.Builder trailers = responseTrailers;
    return trailers == null ? Metadata.EMPTY : trailers.build();
  }

  /** True once the call ended: cancelled by its caller, deadline passed, node stopped, or done. */
  public boolean isCancelled() {
    return cancellation != null;
  }

  /** Why the call was cancelled, once it was. */
  public Optional<Status> cancellationStatus() {
    return Optional.ofNullable(cancellation);
  }

  /**
   * Runs {@code listener} with the cancellation's status when the call is cancelled (at once, on
   * this thread, if it is already). Listeners run on the thread that ends the call: keep them short
   * and non-blocking.
   *
   * @return closing it removes the listener (what a child call does when it ends first)
   */
  public Registration addCancellationListener(Consumer<Status> listener) {
    Objects.requireNonNull(listener, "listener");
    boolean added = false;
    synchronized (lock) {
      if (cancellation == null) {
        if (listeners == null) {
          listeners = new LinkedHashSet<>();
        }
        listeners.add(listener);
        added = true;
      }
    }
    // Cancelled already, or meanwhile: cancel() may have looked for listeners before this one was
    // added, so whichever of the two takes it out of the set runs it.
    if (!added || (cancellation != null && take(listener))) {
      listener.accept(cancellation);
      return () -> {};
    }
    return () -> take(listener);
  }

  /** Removes {@code listener}; true if this call removed it. */
  private boolean take(Consumer<Status> listener) {
    synchronized (lock) {
      return listeners != null && listeners.remove(listener);
    }
  }

  /** A listener's registration: closing it removes the listener. Thread-safe, idempotent. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Cancels the call's context once; runs the listeners. Every call ends its context, and most have
   * no listener: that takes one compare-and-set and no lock.
   */
  void cancel(Status status) {
    if (!CANCELLATION.compareAndSet(this, null, status)) {
      return;
    }
    if (listeners == null) {
      return; // one added meanwhile sees the cancellation and runs itself
    }
    Consumer<?>[] toRun;
    synchronized (lock) {
      toRun = listeners.toArray(Consumer[]::new);
      listeners.clear();
    }
    for (Consumer<?> listener : toRun) {
      @SuppressWarnings("unchecked")
      Consumer<Status> l = (Consumer<Status>) listener;
      l.accept(status);
    }
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("path", path)
        .add("pathParams", pathParams)
        .add("deadline", deadline)
        .add("metadata", metadata)
        .add("cancelled", isCancelled())
        .toString();
  }
}
