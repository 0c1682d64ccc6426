package dev.runar;

import dev.runar.network.NotStarted;

/**
 * Marks and recognizes the statuses of calls no handler saw ({@link NotStarted}), which a caller
 * may send to another provider. Stateless.
 */
final class NotStartedCalls {
  private NotStartedCalls() {}

  /** {@code status}, marked as the outcome of a call no handler saw. */
  static Status mark(Status status) {
    return status.withCause(NotStarted.INSTANCE);
  }

  /** Whether {@code failure} is a status marked by {@link #mark}. */
  static boolean isMarked(Throwable failure) {
    return NotStarted.is(Status.fromThrowable(failure).cause());
  }
}
