package dev.runar;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Enforces calls' deadlines, for local and remote calls alike.
 *
 * <p>Every call arms a deadline and almost every call disarms it again, so arming must be cheap. A
 * {@code ScheduledExecutorService} wakes its thread whenever a new task becomes the earliest one,
 * which under light load is every call: one context switch per call on each node. A timer wheel
 * only queues the timeout, and its one thread for the JVM looks at due ones once per tick; a
 * deadline then fires up to one tick late. The wheel's thread only notices expiry: the call fails
 * on the node's executor for expiries, so no caller's code ever runs on (or holds up) the wheel.
 */
final class Deadlines {
  static final long TICK_MILLIS = 5;

  private static final HashedWheelTimer WHEEL =
      new HashedWheelTimer(
          new ThreadFactoryBuilder().setNameFormat("runar-deadlines").setDaemon(true).build(),
          TICK_MILLIS,
          TimeUnit.MILLISECONDS,
          1024);

  private Deadlines() {}

  /**
   * Fails {@code call} with DEADLINE_EXCEEDED, on {@code expiries}, when {@code deadline} passes
   * before it completes; the timeout is disarmed as soon as the call completes otherwise.
   */
  static void enforce(
      CompletableFuture<?> call, Deadline deadline, Executor expiries, Object what) {
    Timeout timeout = arm(deadline, expiries, () -> call.completeExceptionally(exceeded(what)));
    call.whenComplete((r, e) -> timeout.cancel());
  }

  /**
   * Runs {@code expire} on {@code expiries} when {@code deadline} passes, unless the returned
   * timeout is cancelled first: for a call that disarms it as part of its own completion.
   */
  static Timeout arm(Deadline deadline, Executor expiries, Runnable expire) {
    return arm(deadline, System.nanoTime(), expiries, expire);
  }

  /** As {@link #arm(Deadline, Executor, Runnable)}, with a clock reading the caller just took. */
  static Timeout arm(Deadline deadline, long nowNanos, Executor expiries, Runnable expire) {
    return WHEEL.newTimeout(
        t -> {
          try {
            expiries.execute(expire);
          } catch (RejectedExecutionException stopping) {
            expire.run();
          }
        },
        Math.max(0, deadline.nanosRemaining(nowNanos)),
        TimeUnit.NANOSECONDS);
  }

  /** Why a call whose deadline passed before its handler started does not run. */
  static Status passedBeforeStart(Object what) {
    return Status.DEADLINE_EXCEEDED.withDescription("deadline passed before " + what + " started");
  }

  /** The failure of a call whose deadline passed. */
  static StatusException exceeded(Object what) {
    return Status.DEADLINE_EXCEEDED
        .withDescription("deadline passed before " + what + " replied")
        .asException();
  }
}
