package dev.runar;

import dev.runar.network.WireStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One unary call under a {@link RetryPolicy}: starts attempts one at a time, each within the call's
 * deadline and its own per-attempt timeout, and starts another after a jittered backoff when an
 * attempt fails with a retryable status, the call is safe to repeat (its method is idempotent, or
 * no handler saw the attempt), attempts remain, the retry budget allows it, and the backoff ends
 * before the deadline. Cancelling the result cancels the attempt in flight. Thread-safe.
 *
 * @param <RespT> the reply type
 */
final class RetryingCall<RespT> {
  /** Starts attempt {@code number} (1 for the first) with {@code deadline}. */
  interface Attempts<RespT> {
    CompletableFuture<RespT> start(int number, Deadline deadline);
  }

  private final RetryPolicy policy;
  private final Deadline deadline;
  private final boolean idempotent;
  private final RetryThrottle throttle;
  private final ScheduledExecutorService timer;
  private final Attempts<RespT> attempts;
  private final CompletableFuture<RespT> result = new CompletableFuture<>();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicReference<CompletableFuture<RespT>> current = new AtomicReference<>();

  /**
   * @param idempotent whether a handler may run the call more than once
   * @param timer where backoffs wait (the node's timer)
   */
  RetryingCall(
      RetryPolicy policy,
      Deadline deadline,
      boolean idempotent,
      RetryThrottle throttle,
      ScheduledExecutorService timer,
      Attempts<RespT> attempts) {
    this.policy = policy;
    this.deadline = deadline;
    this.idempotent = idempotent;
    this.throttle = throttle;
    this.timer = timer;
    this.attempts = attempts;
  }

  /** Starts the first attempt; the result completes with the last attempt's outcome. */
  CompletableFuture<RespT> start() {
    result.whenComplete(
        (r, e) -> {
          CompletableFuture<RespT> attempt = current.get();
          if (e != null && attempt != null) {
            attempt.cancel(false); // the caller gave up: so does the attempt in flight
          }
        });
    next();
    return result;
  }

  private void next() {
    int number = started.incrementAndGet();
    Deadline attemptDeadline =
        policy.perAttemptTimeout().map(t -> deadline.min(Deadline.after(t))).orElse(deadline);
    CompletableFuture<RespT> attempt;
    try {
      attempt = attempts.start(number, attemptDeadline);
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    current.set(attempt);
    if (result.isDone()) {
      attempt.cancel(false);
    }
    attempt.whenComplete((reply, error) -> settle(number, reply, error));
  }

  private void settle(int number, RespT reply, Throwable error) {
    if (error == null) {
      throttle.onSuccess();
      result.complete(reply);
      return;
    }
    Status status = Status.fromThrowable(error);
    boolean attemptTimedOut =
        status.code() == Status.Code.DEADLINE_EXCEEDED
            && policy.perAttemptTimeout().isPresent()
            && !deadline.isExpired();
    long backoff =
        backoffNanos(policy, throttle, number, status, attemptTimedOut, idempotent, deadline);
    if (backoff >= 0 && !result.isDone()) {
      try {
        timer.schedule(this::next, backoff, TimeUnit.NANOSECONDS);
        return;
      } catch (RejectedExecutionException stopping) {
        // the node is stopping: the call ends with this attempt's status
      }
    }
    result.completeExceptionally(status.asException(Status.trailersFromThrowable(error)));
  }

  /**
   * The pause before the next attempt after attempt {@code number} failed with {@code status}, or
   * -1 when there is none: the status is not retryable (nor an attempt's own timeout), the call is
   * not safe to repeat (not idempotent, and a handler may have run it), no attempt remains, the
   * budget is spent (a retryable failure takes a token), or the deadline comes first.
   */
  static long backoffNanos(
      RetryPolicy policy,
      RetryThrottle throttle,
      int number,
      Status status,
      boolean attemptTimedOut,
      boolean idempotent,
      Deadline deadline) {
    if (!policy.retryableCodes().contains(status.code()) && !attemptTimedOut) {
      return -1;
    }
    boolean allowed = throttle.onFailureAllowsRetry();
    long backoff = policy.backoffNanos(number);
    return allowed
            && (idempotent || WireStatus.isNotStarted(status))
            && number < policy.maxAttempts()
            && backoff < deadline.nanosRemaining()
        ? backoff
        : -1;
  }
}
