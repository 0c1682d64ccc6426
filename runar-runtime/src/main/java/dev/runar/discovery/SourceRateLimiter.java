package dev.runar.discovery;

import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per datagram source (address and port): each source may send {@code burst}
 * datagrams at once and {@code perSecond} a second after that; the rest are refused. Remembers the
 * {@value #MAX_SOURCES} most recent sources, so a flood of forged sources costs bounded memory (a
 * forgotten source starts with a full bucket again, which only a new source can use).
 *
 * <p>Not thread-safe: the discovery's one receive thread owns it.
 */
final class SourceRateLimiter {
  static final int MAX_SOURCES = 1024;

  private final double perSecond;
  private final double burst;
  private final Map<SocketAddress, double[]> buckets =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SocketAddress, double[]> eldest) {
          return size() > MAX_SOURCES;
        }
      };

  SourceRateLimiter(double perSecond, double burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** Whether a datagram from {@code source} arriving at {@code nowNanos} may be handled. */
  boolean allow(SocketAddress source, long nowNanos) {
    double[] bucket = buckets.computeIfAbsent(source, s -> new double[] {burst, nowNanos});
    double elapsedSeconds = (nowNanos - (long) bucket[1]) / 1e9;
    bucket[0] = Math.min(burst, bucket[0] + elapsedSeconds * perSecond);
    bucket[1] = nowNanos;
    if (bucket[0] < 1) {
      return false;
    }
    bucket[0] -= 1;
    return true;
  }
}
