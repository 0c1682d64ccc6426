package dev.runar;

import dev.runar.internal.Demand;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One server-streaming call under a {@link RetryPolicy}: retried, as a unary call is, only while no
 * response has reached the subscriber; after the first response the call is committed and its
 * outcome, failure included, is the subscriber's. The subscriber sees one subscription throughout:
 * demand it signals before an attempt starts is passed on to that attempt. Thread-safe.
 *
 * @param <T> the response type
 */
final class RetryingStream<T> {
  /** Starts attempt {@code number} (1 for the first), its signals going to {@code subscriber}. */
  interface Attempts<T> {
    void start(int number, Flow.Subscriber<T> subscriber);
  }

  private final RetryPolicy policy;
  private final Deadline deadline;
  private final boolean idempotent;
  private final RetryThrottle throttle;
  private final ScheduledExecutorService timer;
  private final Attempts<T> attempts;
  private final Flow.Subscriber<? super T> downstream;

  // Guarded by this.
  private long requested;
  private Flow.Subscription upstream;
  private boolean committed;
  private boolean cancelled;
  private int started;

  RetryingStream(
      RetryPolicy policy,
      Deadline deadline,
      boolean idempotent,
      RetryThrottle throttle,
      ScheduledExecutorService timer,
      Attempts<T> attempts,
      Flow.Subscriber<? super T> downstream) {
    this.policy = policy;
    this.deadline = deadline;
    this.idempotent = idempotent;
    this.throttle = throttle;
    this.timer = timer;
    this.attempts = attempts;
    this.downstream = downstream;
  }

  /** Hands the subscriber its subscription and starts the first attempt. */
  void start() {
    downstream.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {
            Flow.Subscription current;
            synchronized (RetryingStream.this) {
              if (n > 0) {
                requested = Demand.add(requested, n);
              }
              current = upstream;
            }
            if (current != null) {
              current.request(n); // a bad n is the attempt's to refuse, as the spec says
            }
          }

          @Override
          public void cancel() {
            Flow.Subscription current;
            synchronized (RetryingStream.this) {
              cancelled = true;
              current = upstream;
            }
            if (current != null) {
              current.cancel();
            }
          }
        });
    next();
  }

  private void next() {
    int number;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      number = ++started;
    }
    attempts.start(number, new Attempt(number));
  }

  /** Receives one attempt's signals. */
  private final class Attempt implements Flow.Subscriber<T> {
    private final int number;

    Attempt(int number) {
      this.number = number;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      long demand;
      synchronized (RetryingStream.this) {
        if (cancelled) {
          demand = -1;
        } else {
          upstream = subscription;
          demand = requested;
        }
      }
      if (demand < 0) {
        subscription.cancel();
      } else if (demand > 0) {
        subscription.request(demand);
      }
    }

    @Override
    public void onNext(T item) {
      synchronized (RetryingStream.this) {
        committed = true;
      }
      downstream.onNext(item);
    }

    @Override
    public void onError(Throwable error) {
      Status status = Status.fromThrowable(error);
      long backoff;
      synchronized (RetryingStream.this) {
        backoff =
            committed || cancelled
                ? -1
                : RetryingCall.backoffNanos(
                    policy, throttle, number, status, false, idempotent, deadline);
        if (backoff >= 0) {
          upstream = null; // demand signalled meanwhile waits for the next attempt
        }
      }
      if (backoff >= 0) {
        try {
          timer.schedule(RetryingStream.this::next, backoff, TimeUnit.NANOSECONDS);
          return;
        } catch (RejectedExecutionException stopping) {
          // the node is stopping: the call ends with this attempt's status
        }
      }
      downstream.onError(error);
    }

    @Override
    public void onComplete() {
      throttle.onSuccess();
      downstream.onComplete();
    }
  }
}
