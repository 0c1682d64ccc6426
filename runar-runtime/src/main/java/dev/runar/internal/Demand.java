package dev.runar.internal;

/**
 * Arithmetic of a {@link java.util.concurrent.Flow.Subscription}'s demand, shared by the
 * subscriptions Runar implements. Internal: not part of Runar's API. Stateless.
 */
public final class Demand {
  private Demand() {}

  /** {@code demand} plus {@code n} ({@code n > 0}), capped at {@link Long#MAX_VALUE}: unbounded. */
  public static long add(long demand, long n) {
    long sum = demand + n;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /**
   * The error a subscription signals for {@code request(n)} with {@code n <= 0}, as Reactive
   * Streams' rule 3.9 asks (and {@link java.util.concurrent.Flow} follows): the subscriber's
   * mistake, so it ends the subscription rather than being read as "all of them".
   */
  public static IllegalArgumentException nonPositive(long n) {
    return new IllegalArgumentException(
        "request(" + n + "): a subscriber must request a positive number of items (rule 3.9)");
  }
}
