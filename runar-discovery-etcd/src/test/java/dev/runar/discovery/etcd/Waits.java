package dev.runar.discovery.etcd;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline, for conditions other threads make true. Stateless. */
final class Waits {
  private Waits() {}

  /**
   * Polls {@code condition} every 10 ms until it holds; returns how long that took.
   *
   * @throws AssertionError when it does not hold within {@code timeout}
   */
  static Duration until(Duration timeout, String what, BooleanSupplier condition)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(what + ": not within " + timeout.toMillis() + " ms");
      }
      Thread.sleep(10);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
