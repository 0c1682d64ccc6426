package dev.runar;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import java.time.Duration;

/**
 * When a provider is set aside for failing: after {@code consecutiveFailures} calls in a row failed
 * on it with a status that blames the provider (UNAVAILABLE, INTERNAL, UNKNOWN, DATA_LOSS, or the
 * connection failing), it gets no calls for {@code ejectionTime} (doubled each time it is ejected
 * again, up to ten times), unless every provider is set aside. Like gRPC's {@code
 * outlier_detection} with failure-count ejection. Immutable and thread-safe.
 */
public final class OutlierDetection {
  /** Five failures in a row set a provider aside for 10 seconds. */
  public static final OutlierDetection DEFAULT = new OutlierDetection(5, Duration.ofSeconds(10));

  /** Never sets a provider aside. */
  public static final OutlierDetection DISABLED = new OutlierDetection(0, Duration.ZERO);

  private final int consecutiveFailures;
  private final Duration ejectionTime;

  private OutlierDetection(int consecutiveFailures, Duration ejectionTime) {
    this.consecutiveFailures = consecutiveFailures;
    this.ejectionTime = ejectionTime;
  }

  /**
   * @param consecutiveFailures failed calls in a row that set a provider aside, at least 1
   * @param ejectionTime how long it is set aside the first time
   */
  public static OutlierDetection of(int consecutiveFailures, Duration ejectionTime) {
    checkArgument(consecutiveFailures >= 1, "consecutiveFailures < 1");
    checkArgument(!ejectionTime.isNegative() && !ejectionTime.isZero(), "ejectionTime <= 0");
    return new OutlierDetection(consecutiveFailures, ejectionTime);
  }

  /** 0 when disabled. */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  public Duration ejectionTime() {
    return ejectionTime;
  }

  boolean enabled() {
    return consecutiveFailures > 0;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("consecutiveFailures", consecutiveFailures)
        .add("ejectionTime", ejectionTime)
        .toString();
  }
}
