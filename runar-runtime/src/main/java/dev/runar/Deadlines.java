package dev.runar;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Enforces a call's deadline on its future, for local and remote calls alike. */
final class Deadlines {
  private Deadlines() {}

  /**
   * Fails {@code call} with DEADLINE_EXCEEDED when {@code deadline} passes before it completes;
   * the timer is cancelled as soon as the call completes otherwise.
   */
  static void enforce(
      CompletableFuture<?> call, Deadline deadline, ScheduledExecutorService timer, Object what) {
    Future<?> expiry =
        timer.schedule(
            () ->
                call.completeExceptionally(
                    Status.DEADLINE_EXCEEDED
                        .withDescription("deadline passed before " + what + " replied")
                        .asException()),
            deadline.nanosRemaining(),
            TimeUnit.NANOSECONDS);
    call.whenComplete((r, e) -> expiry.cancel(false));
  }
}
