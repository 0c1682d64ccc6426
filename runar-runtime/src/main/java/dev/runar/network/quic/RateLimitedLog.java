package dev.runar.network.quic;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs an expected, repeatable failure (a refused handshake, say) at INFO at most once per source
 * per interval, with how many happened since, and each one at DEBUG without a stack trace: a peer
 * that fails on purpose cannot flood the log. Remembers at most 1,024 sources.
 *
 * <p>Thread-safe.
 */
final class RateLimitedLog {
  private static final int MAX_SOURCES = 1024;

  private final Logger log;
  private final String message;
  private final long intervalNanos;
  private final Map<String, long[]> sources =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
          return size() > MAX_SOURCES;
        }
      };

  /**
   * @param message what failed, with one {@code {}} for the source
   */
  RateLimitedLog(Logger log, String message, Duration interval) {
    this.log = log;
    this.message = message;
    this.intervalNanos = interval.toNanos();
  }

  /** Records one failure from {@code source} with {@code reason}. */
  void failed(SocketAddress source, Object reason) {
    String key = String.valueOf(source);
    log.debug(message + ": {}", key, reason);
    long now = System.nanoTime();
    long count;
    synchronized (sources) {
      long[] entry = sources.computeIfAbsent(key, k -> new long[] {now - intervalNanos, 0});
      entry[1]++;
      if (now - entry[0] < intervalNanos) {
        return;
      }
      count = entry[1];
      entry[0] = now;
      entry[1] = 0;
    }
    if (log.isInfoEnabled()) {
      log.info(
          message + " ({} in the last {} s; last: {})",
          key,
          count,
          intervalNanos / 1_000_000_000,
          reason);
    }
  }
}
