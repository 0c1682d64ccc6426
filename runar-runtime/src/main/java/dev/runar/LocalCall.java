package dev.runar;

import com.google.protobuf.Message;
import io.netty.util.Timeout;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to an action hosted on this node, from dispatch to reply, and the caller's future
 * itself. Keeps the promises every call makes: it ends by its deadline, a handler failure reaches
 * only this caller, and cancelling the future (or the deadline passing) cancels the handler's work.
 * However it ends, its {@link Ending} runs once; when it ends from inside (handler, deadline, node
 * stopping), before the caller hears.
 *
 * @param <RespT> the reply type the caller expects
 */
final class LocalCall<RespT extends Message> extends CompletableFuture<RespT>
    implements InFlightCall {
  private static final Logger log = LoggerFactory.getLogger(LocalCall.class);

  private final HostedService.Action action;
  private final Message request;
  private final CallContext context;
  private final RespT responsePrototype;
  private final InFlightCalls inFlight;
  private final Ending ending;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile CompletableFuture<?> handlerFuture;
  private volatile Timeout timeout;

  /** What runs once as the call ends, before its caller hears: listeners, reply metadata. */
  @FunctionalInterface
  interface Ending {
    /**
     * Ends the call with {@code status} ({@code response} when OK, else null); returns the failure
     * the caller gets, or null when the call succeeded.
     */
    StatusException end(Message response, Status status);
  }

  /**
   * @param inFlight where the call is {@link InFlightCalls#add added}; it leaves once completed
   */
  LocalCall(
      HostedService.Action action,
      Message request,
      CallContext context,
      RespT responsePrototype,
      InFlightCalls inFlight,
      Ending ending) {
    this.action = action;
    this.request = request;
    this.context = context;
    this.responsePrototype = responsePrototype;
    this.inFlight = inFlight;
    this.ending = ending;
  }

  @Override
  public CompletableFuture<?> completion() {
    return this;
  }

  /** Hands the handler to {@code executor} and arms the deadline unless it already replied. */
  void start(Executor executor, ScheduledExecutorService scheduler) {
    try {
      executor.execute(this::run);
    } catch (RejectedExecutionException e) {
      fail(
          Status.RESOURCE_EXHAUSTED
              .withDescription("node is overloaded: no room to run " + action.path())
              .withCause(e));
      return;
    }
    // A handler run inline (direct execution) has usually replied by now: nothing to arm. An
    // expired deadline is still refused, by run().
    if (!isDone()) {
      timeout =
          Deadlines.arm(
              context.deadline(),
              scheduler,
              () -> fail(Deadlines.exceeded(action.path()).status()));
      if (isDone()) {
        timeout.cancel(); // it ended meanwhile, perhaps before the timeout was there to cancel
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
    if (failure == null ? super.complete(reply) : super.completeExceptionally(failure)) {
      cleanUp(failure);
    }
  }

  // Completed from outside: the caller cancelled (or its parent call ended), or completed it.

  @Override
  public boolean complete(RespT value) {
    return endedOutside(super.complete(value), null);
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    return endedOutside(super.completeExceptionally(ex), ex);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    CancellationException cancelled = new CancellationException();
    return endedOutside(super.completeExceptionally(cancelled), cancelled) || isCancelled();
  }

  private boolean endedOutside(boolean now, Throwable error) {
    if (now) {
      if (error != null && ended.compareAndSet(false, true)) {
        ending.end(null, Status.fromThrowable(error));
      }
      cleanUp(error);
    }
    return now;
  }

  /** Once completed: disarms the deadline, stops the handler of a failed call, stops tracking. */
  private void cleanUp(Throwable error) {
    Timeout armed = timeout;
    if (armed != null) {
      armed.cancel();
    }
    if (error != null) {
      context.cancel(Status.fromThrowable(error));
      cancelHandler();
    }
    inFlight.remove(this);
  }

  private void run() {
    if (isDone()) {
      return;
    }
    if (context.deadline().isExpired()) {
      fail(
          Status.DEADLINE_EXCEEDED.withDescription(
              "deadline passed before " + action.path() + " started"));
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
    if (handler.isDone()) { // a handler that replied at once: no completion stage to chain
      Message reply;
      try {
        reply = handler.join();
      } catch (CompletionException | CancellationException e) {
        fail(handlerFailure(e));
        return;
      }
      reply(reply);
      return;
    }
    handler.whenComplete(
        (reply, error) -> {
          if (error != null) {
            fail(handlerFailure(error));
          } else {
            reply(reply);
          }
        });
    if (isDone()) {
      cancelHandler();
    }
  }

  private static <ReqT extends Message, R extends Message> CompletionStage<R> invoke(
      ServerMethod<ReqT, R> method, Message request, CallContext context) throws Exception {
    ReqT typed = Messages.coerce(request, method.descriptor().requestPrototype());
    return method.unary().handle(typed, context);
  }

  @SuppressWarnings("unchecked")
  private void reply(Message reply) {
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
    if (status.code() == Status.Code.INTERNAL && !isDone()) {
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
}
