package dev.runar;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import com.google.common.collect.Sets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a failed unary call is tried again, as gRPC's service config {@code retryPolicy}: at most
 * {@code maxAttempts} attempts in all, the n-th retry after a random pause between 0 and {@code
 * min(initialBackoff * multiplier^(n-1), maxBackoff)} ("full jitter"), only for the {@code
 * retryableCodes}, each attempt within the call's deadline and, when set, its own per-attempt
 * timeout. A retry goes to another provider when there is one.
 *
 * <p>A call is retried after a handler ran it only when its method is idempotent ({@code
 * idempotency_level} IDEMPOTENT or NO_SIDE_EFFECTS in the .proto, or advertised so by the
 * provider); any method is retried when no handler saw the attempt (the provider refused it
 * unstarted). See docs/retries.md. Immutable and thread-safe.
 */
public final class RetryPolicy {
  /** One attempt only: no retry by policy (transparent retries of unstarted calls still happen). */
  public static final RetryPolicy NONE = builder().maxAttempts(1).build();

  /**
   * What idempotent methods get when nothing is configured for them: 3 attempts, backoff 100 ms to
   * 1 s, on UNAVAILABLE.
   */
  public static final RetryPolicy IDEMPOTENT_DEFAULT = builder().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double backoffMultiplier;
  private final Set<Status.Code> retryableCodes;
  private final Duration perAttemptTimeout;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
    this.retryableCodes = Sets.immutableEnumSet(b.retryableCodes);
    this.perAttemptTimeout = b.perAttemptTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  /** The status codes an attempt may fail with and still be retried. */
  public Set<Status.Code> retryableCodes() {
    return retryableCodes;
  }

  /** Each attempt's own timeout (the call's deadline still bounds all attempts); empty: none. */
  public Optional<Duration> perAttemptTimeout() {
    return Optional.ofNullable(perAttemptTimeout);
  }

  /** The pause before retry number {@code retry} (1 for the first retry), with full jitter. */
  long backoffNanos(int retry) {
    double ceiling =
        Math.min(
            initialBackoff.toNanos() * Math.pow(backoffMultiplier, retry - 1.0),
            (double) maxBackoff.toNanos());
    return (long) (ThreadLocalRandom.current().nextDouble() * ceiling);
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("maxAttempts", maxAttempts)
        .add("initialBackoff", initialBackoff)
        .add("maxBackoff", maxBackoff)
        .add("backoffMultiplier", backoffMultiplier)
        .add("retryableCodes", retryableCodes)
        .add("perAttemptTimeout", perAttemptTimeout)
        .omitNullValues()
        .toString();
  }

  /** Builds a {@link RetryPolicy}; every setting has gRPC's usual default. Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(1);
    private double backoffMultiplier = 2;
    private Set<Status.Code> retryableCodes = EnumSet.of(Status.Code.UNAVAILABLE);
    private Duration perAttemptTimeout;

    private Builder() {}

    /** Attempts in all, the first included: 1 (no retry) to 10. Default: 3. */
    public Builder maxAttempts(int maxAttempts) {
      checkArgument(maxAttempts >= 1 && maxAttempts <= 10, "maxAttempts not in 1..10");
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Default: 100 ms. */
    public Builder initialBackoff(Duration initialBackoff) {
      checkArgument(!initialBackoff.isNegative(), "initialBackoff < 0");
      this.initialBackoff = initialBackoff;
      return this;
    }

    /** Default: 1 s. */
    public Builder maxBackoff(Duration maxBackoff) {
      checkArgument(!maxBackoff.isNegative(), "maxBackoff < 0");
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** Default: 2. */
    public Builder backoffMultiplier(double backoffMultiplier) {
      checkArgument(backoffMultiplier >= 1, "backoffMultiplier < 1");
      this.backoffMultiplier = backoffMultiplier;
      return this;
    }

    /** Default: UNAVAILABLE only. OK cannot be one. */
    public Builder retryableCodes(Status.Code... codes) {
      EnumSet<Status.Code> set = EnumSet.noneOf(Status.Code.class);
      for (Status.Code code : codes) {
        set.add(Objects.requireNonNull(code, "code"));
      }
      checkArgument(!set.contains(Status.Code.OK), "OK is not a failure");
      this.retryableCodes = set;
      return this;
    }

    /** Each attempt's own timeout; an attempt that exceeds it is cancelled and retried. */
    public Builder perAttemptTimeout(Duration perAttemptTimeout) {
      checkArgument(
          !perAttemptTimeout.isNegative() && !perAttemptTimeout.isZero(), "perAttemptTimeout <= 0");
      this.perAttemptTimeout = perAttemptTimeout;
      return this;
    }

    public RetryPolicy build() {
      checkArgument(maxBackoff.compareTo(initialBackoff) >= 0, "maxBackoff < initialBackoff");
      return new RetryPolicy(this);
    }
  }
}
