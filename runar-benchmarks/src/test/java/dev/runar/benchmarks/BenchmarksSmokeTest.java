package dev.runar.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A very short run of the whole benchmark, so it never rots: every scenario runs and yields a
 * number, and the files are written. It asserts nothing about speed (that is the full run's job).
 */
class BenchmarksSmokeTest {
  private static final int SMOKE_RATE = 200;

  @Test
  void everyScenarioRunsAndIsWritten(@TempDir Path dir) throws Exception {
    Settings smoke =
        new Settings(
            50,
            Duration.ZERO,
            50,
            Duration.ofMillis(50),
            // Long enough that one stall of a cold JVM as the window ends (grpc-java TLS direct
            // once stalled 13 ms there) still leaves 95% of the paced calls started: at 100 ms
            // the CPU-per-call row of such a system went missing.
            Duration.ofMillis(300),
            List.of(1, 64),
            List.of(100),
            200,
            1,
            8,
            500,
            // Low enough that a cold JVM's first calls keep up: grpc-java direct once ran 873
            // calls/s at 64 in flight here, so a run of 2,000/s gave no row.
            List.of(SMOKE_RATE));
    Results results = Benchmarks.run(smoke, dir, false);
    for (String system :
        List.of(
            "runar-quic", "runar-quic-observed", "grpc-plaintext", "grpc-tls", "grpc-gateway")) {
      for (String mode : List.of("direct", "executor")) {
        assertTrue(
            results.value("remote unary", system, mode, "100B", "64 in flight") > 0,
            system + " " + mode);
        assertTrue(
            results.value("remote unary", system, mode, "100B", "p50") > 0, system + " " + mode);
        assertTrue(
            results.value(
                    "remote unary", system, mode, "100B", UnaryBenchmark.cpuMetric(SMOKE_RATE))
                > 0,
            system + " " + mode);
      }
    }
    assertTrue(results.value("local unary", "runar-local", "direct", "100B", "1 in flight") > 0);
    assertTrue(
        results.value("local unary", "grpc-inprocess", "executor", "100B", "1 in flight") > 0);
    assertTrue(results.value("ceiling", "bare-quic-echo", "direct", "100B", "64 in flight") > 0);
    assertTrue(
        results.value(
                "ceiling", "bare-quic-echo", "direct", "100B", UnaryBenchmark.cpuMetric(SMOKE_RATE))
            > 0);
    for (String system : Scenarios.SYSTEMS) {
      assertTrue(
          results.value(Scenarios.MANY, system, "executor", "100B", "256 in flight") > 0, system);
      assertTrue(results.value(Scenarios.LARGE, system, "executor", "1MiB", "4 in flight") > 0);
      assertTrue(results.value(Scenarios.STREAM, system, "executor", "100B", "messages/s") > 0);
      assertTrue(results.value(Scenarios.UNDER_LOAD, system, "executor", "100B", "p99") > 0);
    }
    assertTrue(
        results.value(Scenarios.LARGE, Scenarios.CEILING, "direct", "1MiB", "4 in flight") > 0);
    assertTrue(results.value("events", "runar 4 subs", "executor", "100B", "events/s") > 0);
    assertTrue(results.value("events", "runar 4 subs", "executor", "100B", "latency p50") > 0);
    assertTrue(results.value("discovery", "runar multicast", "-", "-", "start→call p50") > 0);
    assertTrue(results.value("memory", "runar idle node", "-", "-", "heap") > 0);
    try (Stream<Path> written = Files.list(dir)) {
      assertEquals(
          List.of("results.csv", "results.json", "results.md"),
          written.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
