package dev.runar;

import com.google.protobuf.Message;
import dev.runar.internal.CallFuture;
import io.netty.util.Timeout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to an action hosted on this node, from dispatch to reply. Owns the caller's future and
 * keeps the promises every call makes: it ends by its deadline, a handler failure reaches only this
 * caller, and cancelling the future (or the deadline passing) cancels the handler's work.
 *
 * @param <RespT> the reply type the caller expects
 */
final class LocalCall<RespT extends Message> implements InFlightCall {
  private static final Logger log = LoggerFactory.getLogger(LocalCall.class);

  private final HostedService.Action action;
  private final Message request;
  private final CallContext context;
  private final RespT responsePrototype;
  private final Ending ending;
  private final CallFuture<RespT> result = new CallFuture<>(this::endedOutside);
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile CompletableFuture<?> handlerFuture;
  private volatile Timeout timeout;
  private volatile InFlightCalls inFlight;

  /**
   * The thread handing a {@code justRouted} call to its executor, while it does: a handler run
   * inline there needs no second look at the clock, as routing refused an expired deadline a moment
   * ago. A handoff to another thread publishes it (it is set first), and that thread is never the
   * one named.
   */
  private Thread starting;

  /**
   * Its hash in the set of calls in flight: the identity hash the JVM would otherwise make for
   * every call costs more than this (a random number per call and a write to the object's header).
   */
  private final int hash = ThreadLocalRandom.current().nextInt();

  /** What runs once as the call ends, before its caller hears: listeners, reply metadata. */
  @FunctionalInterface
  interface Ending {
    /**
     * Ends the call with {@code status} ({@code response} when OK, else null); returns the failure
     * the caller gets, or null when the call succeeded.
     */
    StatusException end(Message response, Status status);
  }

  LocalCall(
      HostedService.Action action,
      Message request,
      CallContext context,
      RespT responsePrototype,
      Ending ending) {
    this.action = action;
    this.request = request;
    this.context = context;
    this.responsePrototype = responsePrototype;
    this.ending = ending;
  }

  /**
   * The caller's future: completes once, with the reply or a {@link StatusException}, after the
   * call's {@link Ending} ran. Completing it from outside (the caller cancels) ends the call too.
   */
  CompletableFuture<RespT> result() {
    return result;
  }

  @Override
  public CompletableFuture<?> completion() {
    return result;
  }

  /**
   * Hands the handler to {@code executor} and arms the deadline unless it already replied; the call
   * leaves {@code inFlight}, which {@link InFlightCalls#add added} it, once it completes. {@code
   * justRouted}: routing checked the deadline a moment ago, with no interceptor run since.
   */
  void start(
      Executor executor,
      ScheduledExecutorService scheduler,
      InFlightCalls inFlight,
      boolean justRouted) {
    this.inFlight = inFlight;
    if (result.isDone()) { // failed already (the node is stopping): it ended before it knew
      untrack();
      return;
    }
    starting = justRouted ? Thread.currentThread() : null;
    try {
      executor.execute(this::run);
    } catch (RejectedExecutionException e) {
      fail(
          Status.RESOURCE_EXHAUSTED
              .withDescription("node is overloaded: no room to run " + action.path())
              .withCause(e));
      return;
    } finally {
      starting = null;
    }
    // A handler run inline (direct execution) has usually replied by now: nothing to arm. One
    // handed to another thread is refused there if its deadline passed meanwhile.
    if (!result.isDone()) {
      timeout =
          Deadlines.arm(
              context.deadline(),
              scheduler,
              () -> fail(Deadlines.exceeded(action.path()).status()));
      if (result.isDone()) {
        timeout.cancel(); // it ended meanwhile: untrack may have missed the timeout
      }
    }
  }

  @Override
  public void fail(Status status) {
    settle(null, status);
  }

  /** Ends the call from inside (handler, deadline, node stopping): the first outcome wins. */
  private void settle(RespT reply, Status status) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    StatusException failure = ending.end(reply, status);
    if (failure == null) {
      result.settle(reply);
    } else {
      result.settleExceptionally(failure);
      cancelHandler();
    }
    untrack();
  }

  /** The caller cancelled (or completed the future itself): the call ends, cancelled. */
  private void endedOutside(Throwable error) {
    Status status =
        error == null
            ? Status.CANCELLED.withDescription("the caller completed the call itself")
            : Status.fromThrowable(error);
    if (ended.compareAndSet(false, true)) {
      ending.end(null, status);
    }
    context.cancel(status);
    cancelHandler();
    untrack();
  }

  /** Disarms the deadline and leaves the calls in flight; idempotent. */
  private void untrack() {
    Timeout armed = timeout;
    if (armed != null) {
      armed.cancel();
    }
    InFlightCalls tracked = inFlight;
    if (tracked != null) { // null when refused before it started
      tracked.remove(this);
    }
  }

  private void run() {
    if (result.isDone()) {
      return;
    }
    if (starting != Thread.currentThread() && context.deadline().isExpired()) {
      fail(Deadlines.passedBeforeStart(action.path()));
      return;
    }
    CompletionStage<? extends Message> stage;
    try {
      stage = context.call(() -> invoke(action.method(), request, context));
    } catch (Throwable t) {
      fail(handlerFailure(t));
      return;
    }
    if (stage == null) {
      fail(Status.INTERNAL.withDescription("handler of " + action.path() + " returned null"));
      return;
    }
    CompletableFuture<? extends Message> handler = stage.toCompletableFuture();
    handlerFuture = handler;
    if (handler.isDone() && !handler.isCompletedExceptionally()) {
      // Replied already, as most handlers run inline do: spares the compiler a dependent stage
      // at a depth where it stops inlining.
      complete(handler.join());
      return;
    }
    stage.whenComplete(
        (reply, error) -> {
          if (error != null) {
            fail(handlerFailure(error));
          } else {
            complete(reply);
          }
        });
    if (result.isDone()) {
      cancelHandler();
    }
  }

  private static <ReqT extends Message, R extends Message> CompletionStage<R> invoke(
      ServerMethod<ReqT, R> method, Message request, CallContext context) throws Exception {
    ReqT typed = Messages.coerce(request, method.descriptor().requestPrototype());
    return method.unary().handle(typed, context);
  }

  @SuppressWarnings("unchecked")
  private void complete(Message reply) {
    if (reply == null) {
      fail(Status.INTERNAL.withDescription("handler of " + action.path() + " replied null"));
      return;
    }
    RespT typed;
    try {
      typed = responsePrototype == null ? (RespT) reply : Messages.coerce(reply, responsePrototype);
    } catch (StatusException mismatch) {
      fail(
          Status.INTERNAL.withDescription(
              action.path() + " replied with the wrong type: " + mismatch.status().description()));
      return;
    }
    settle(typed, Status.OK);
  }

  private Status handlerFailure(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof StatusException thrown) {
      context.responseTrailers().putAll(thrown.trailers());
      return thrown.status();
    }
    Status status = Status.fromThrowable(cause);
    // A call already ended (deadline, cancel, stop) often fails its handler on purpose: no noise.
    if (status.code() == Status.Code.INTERNAL && !result.isDone()) {
      log.warn("handler of {} failed", action.path(), cause);
      return status.augmentDescription("handler of " + action.path() + " failed");
    }
    return status;
  }

  private void cancelHandler() {
    CompletableFuture<?> handler = handlerFuture;
    if (handler != null) {
      handler.cancel(false);
    }
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return this == o; // a call is only ever itself
  }
}
