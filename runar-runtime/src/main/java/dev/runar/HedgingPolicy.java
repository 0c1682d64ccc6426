package dev.runar;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import com.google.common.collect.Sets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How an idempotent unary call is hedged, as gRPC's service config {@code hedgingPolicy}: the first
 * attempt is sent at once, and while no reply has come another is sent every {@code hedgingDelay},
 * to a provider not tried yet when there is one, up to {@code maxAttempts} in all. The first
 * success wins and the other attempts are cancelled; a failure with one of the {@code
 * nonFatalCodes} sends the next attempt at once, any other failure ends the call. Each hedged
 * attempt takes from the retry budget as a retry does. Only methods that are idempotent are hedged
 * (a handler may run the call several times); others keep one attempt. Immutable and thread-safe.
 */
public final class HedgingPolicy {
  private final int maxAttempts;
  private final Duration hedgingDelay;
  private final Set<Status.Code> nonFatalCodes;

  private HedgingPolicy(int maxAttempts, Duration hedgingDelay, Set<Status.Code> nonFatalCodes) {
    this.maxAttempts = maxAttempts;
    this.hedgingDelay = hedgingDelay;
    this.nonFatalCodes = nonFatalCodes;
  }

  /**
   * @param maxAttempts attempts in all, the first included: 2 to 10
   * @param hedgingDelay how long to wait for a reply before sending the next attempt
   * @param nonFatalCodes failures after which the next attempt is sent at once (others end the
   *     call)
   */
  public static HedgingPolicy of(
      int maxAttempts, Duration hedgingDelay, Status.Code... nonFatalCodes) {
    checkArgument(maxAttempts >= 2 && maxAttempts <= 10, "maxAttempts not in 2..10");
    checkArgument(!hedgingDelay.isNegative(), "hedgingDelay < 0");
    EnumSet<Status.Code> codes = EnumSet.noneOf(Status.Code.class);
    for (Status.Code code : nonFatalCodes) {
      codes.add(Objects.requireNonNull(code, "code"));
    }
    checkArgument(!codes.contains(Status.Code.OK), "OK is not a failure");
    return new HedgingPolicy(maxAttempts, hedgingDelay, Sets.immutableEnumSet(codes));
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration hedgingDelay() {
    return hedgingDelay;
  }

  public Set<Status.Code> nonFatalCodes() {
    return nonFatalCodes;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("maxAttempts", maxAttempts)
        .add("hedgingDelay", hedgingDelay)
        .add("nonFatalCodes", nonFatalCodes)
        .toString();
  }
}
