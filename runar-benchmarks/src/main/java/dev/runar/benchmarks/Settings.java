package dev.runar.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * How long and how hard to measure: the full run, or a quick smoke run for the test suite. {@code
 * latencyWarmup}: how long sequential calls run at least before their latency is measured (see
 * {@link UnaryBenchmark#latency}). {@code pacedRates}: the calls per second at which CPU per call
 * is measured (a light load, where calls mostly go alone, and one where a few share packets).
 */
record Settings(
    int warmupCalls,
    Duration latencyWarmup,
    int latencyCalls,
    Duration throughputWarmup,
    Duration throughputTime,
    List<Integer> inFlight,
    List<Integer> payloadSizes,
    int events,
    int discoveryRuns,
    int scenarioCalls,
    int streamMessages,
    List<Integer> pacedRates) {

  static Settings full() {
    return new Settings(
        20_000,
        Duration.ofSeconds(8),
        20_000,
        Duration.ofSeconds(2),
        Duration.ofSeconds(3),
        List.of(1, 16, 64, 256),
        List.of(100, 10 * 1024),
        50_000,
        3,
        200,
        500_000,
        List.of(10_000, 50_000));
  }

  static Settings quick() {
    return new Settings(
        200,
        Duration.ZERO,
        200,
        Duration.ofMillis(100),
        Duration.ofMillis(200),
        List.of(1, 16, 64, 256),
        List.of(100, 10 * 1024),
        500,
        1,
        20,
        2_000,
        List.of(2_000));
  }
}
