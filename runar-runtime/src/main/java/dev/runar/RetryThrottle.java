package dev.runar;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The retry budget, as gRPC's {@code retryThrottling}: a bucket of tokens, full at first; every
 * attempt that fails with a retryable status takes one, every success gives back a fraction; a
 * failed call may be retried only while more than half the tokens remain. When most calls fail, the
 * bucket drains and calls fail after one attempt, so retries cannot multiply the load on a
 * struggling service. Tokens are counted in thousandths, as gRPC does. Thread-safe, lock-free.
 */
final class RetryThrottle {
  private static final int SCALE = 1000;

  private final int maxTokens;
  private final int tokenRatio;
  private final AtomicInteger tokens;

  /**
   * @param maxTokens the bucket's size; 0 for no budget (retries never throttled)
   * @param tokenRatio what a success gives back, in tokens
   */
  RetryThrottle(int maxTokens, double tokenRatio) {
    this.maxTokens = maxTokens * SCALE;
    this.tokenRatio = (int) Math.round(tokenRatio * SCALE);
    this.tokens = new AtomicInteger(this.maxTokens);
  }

  /** A call succeeded (or failed with a status not worth retrying). */
  void onSuccess() {
    if (maxTokens > 0 && tokens.get() < maxTokens) {
      tokens.updateAndGet(t -> Math.min(maxTokens, t + tokenRatio));
    }
  }

  /** An attempt failed with a retryable status: takes a token; true when a retry is allowed. */
  boolean onFailureAllowsRetry() {
    if (maxTokens == 0) {
      return true;
    }
    return tokens.updateAndGet(t -> Math.max(0, t - SCALE)) > maxTokens / 2;
  }
}
