package dev.runar;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One idempotent unary call under a {@link HedgingPolicy}: attempts overlap, the first success
 * wins, and the rest are cancelled. Cancelling the result cancels every attempt in flight.
 * Thread-safe: its state changes under its own lock, and attempts start outside it.
 *
 * @param <RespT> the reply type
 */
final class HedgingCall<RespT> {
  private final HedgingPolicy policy;
  private final Deadline deadline;
  private final RetryThrottle throttle;
  private final ScheduledExecutorService timer;
  private final RetryingCall.Attempts<RespT> attempts;
  private final CompletableFuture<RespT> result = new CompletableFuture<>();

  // Guarded by this.
  private final List<CompletableFuture<RespT>> inFlight = new ArrayList<>();
  private int started;
  private boolean budgetSpent;
  private ScheduledFuture<?> nextHedge;

  HedgingCall(
      HedgingPolicy policy,
      Deadline deadline,
      RetryThrottle throttle,
      ScheduledExecutorService timer,
      RetryingCall.Attempts<RespT> attempts) {
    this.policy = policy;
    this.deadline = deadline;
    this.throttle = throttle;
    this.timer = timer;
    this.attempts = attempts;
  }

  /** Sends the first attempt; the result completes with the first success, or the last failure. */
  CompletableFuture<RespT> start() {
    result.whenComplete((r, e) -> cancelAll());
    launch();
    return result;
  }

  private void launch() {
    int number;
    synchronized (this) {
      if (result.isDone() || started >= policy.maxAttempts() || budgetSpent) {
        return;
      }
      number = ++started;
      if (nextHedge != null) {
        nextHedge.cancel(false);
        nextHedge = null;
      }
      if (number < policy.maxAttempts()) {
        try {
          nextHedge =
              timer.schedule(this::launch, policy.hedgingDelay().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
          // the node is stopping: no more hedges
        }
      }
    }
    CompletableFuture<RespT> attempt;
    try {
      attempt = attempts.start(number, deadline);
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    synchronized (this) {
      inFlight.add(attempt);
    }
    if (result.isDone()) {
      attempt.cancel(false);
    }
    CompletableFuture<RespT> sent = attempt;
    attempt.whenComplete((reply, error) -> settle(sent, reply, error));
  }

  private void settle(CompletableFuture<RespT> attempt, RespT reply, Throwable error) {
    if (error == null) {
      throttle.onSuccess();
      result.complete(reply);
      return;
    }
    Status status = Status.fromThrowable(error);
    if (!policy.nonFatalCodes().contains(status.code())) {
      result.completeExceptionally(
          status.asException(Status.trailersFromThrowable(error))); // fatal
      return;
    }
    boolean allowed = throttle.onFailureAllowsRetry();
    boolean last;
    synchronized (this) {
      inFlight.remove(attempt);
      budgetSpent |= !allowed;
      last = inFlight.isEmpty() && (budgetSpent || started >= policy.maxAttempts());
    }
    if (last) {
      result.completeExceptionally(status.asException(Status.trailersFromThrowable(error)));
    } else {
      launch(); // a non-fatal failure: the next hedge goes now
    }
  }

  private void cancelAll() {
    List<CompletableFuture<RespT>> attemptsLeft;
    synchronized (this) {
      attemptsLeft = new ArrayList<>(inFlight);
      inFlight.clear();
      if (nextHedge != null) {
        nextHedge.cancel(false);
      }
    }
    attemptsLeft.forEach(a -> a.cancel(false));
  }
}
