package dev.runar.benchmarks;

import dev.runar.benchmarks.proto.Payload;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The scenarios beyond one connection's unary calls, each measured for Runar and grpc-java alike
 * (handlers on each framework's default executor): 256 calls in flight over 4 client connections; 1
 * MiB unary calls; a server stream of 100 B messages; and 100 B calls while 4 MiB calls run on the
 * same connection (does a large message hold small ones up?). The bare QUIC echo is measured in the
 * 1 MiB scenario too, as the transport's ceiling there (it has neither server streams nor several
 * connections).
 */
final class Scenarios {
  static final String MANY = "4 connections";
  static final String LARGE = "1 MiB unary";
  static final String STREAM = "server stream";
  static final String UNDER_LOAD = "100 B beside 4 MiB";
  static final List<String> SYSTEMS = List.of("runar-quic", "grpc-plaintext", "grpc-tls");

  /** Measured in the 1 MiB scenario only. */
  static final String CEILING = "bare-quic-echo";

  /** The 1 MiB scenario's warm-up, in multiples of the small calls'. */
  private static final int LARGE_WARMUP_FACTOR = 5;

  private Scenarios() {}

  static EchoClient client(String system, int connections) throws Exception {
    return switch (system) {
      case "runar-quic" -> RunarClients.remote(false, connections);
      case "grpc-plaintext" -> GrpcClients.remote(false, false, connections);
      case "grpc-tls" -> GrpcClients.remote(true, false, connections);
      default -> throw new IllegalArgumentException(system);
    };
  }

  /** Runs every scenario for {@code system}, adding its rows to {@code results}. */
  static void run(Results results, Settings settings, String system) throws Exception {
    if (system.equals(CEILING)) {
      try (EchoClient client = new QuicEcho()) {
        large(results, settings, system, "direct", client);
      }
      return;
    }
    UnaryBenchmark unary = new UnaryBenchmark(settings);
    try (EchoClient client = client(system, 4)) {
      results.add(
          MANY,
          system,
          "executor",
          "100B",
          "256 in flight",
          unary.throughput(client, UnaryBenchmark.payload(100), 256),
          "req/s");
    }
    try (EchoClient client = client(system, 1)) {
      large(results, settings, system, "executor", client);

      int count = settings.streamMessages();
      client.stream(count / 10, 100); // warm-up
      long start = System.nanoTime();
      long received = client.stream(count, 100);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (received != count) {
        throw new IllegalStateException("stream delivered " + received + " of " + count);
      }
      results.add(STREAM, system, "executor", "100B", "messages/s", count / seconds, "1/s");

      Histogram beside = besideLargeCalls(client, settings.scenarioCalls() * 10);
      results.add(
          UNDER_LOAD, system, "executor", "100B", "p50", beside.getValueAtPercentile(50), "us");
      results.add(
          UNDER_LOAD, system, "executor", "100B", "p99", beside.getValueAtPercentile(99), "us");
    }
  }

  /**
   * 1 MiB unary calls: p50 one at a time, then throughput with 4 in flight after a longer warm-up
   * than small calls get: after the usual 2 s every system was still short of its steady rate here,
   * by a quarter (the bare echo) to two fifths (Runar, grpc-java), which ranked them by how fast
   * their code compiles as much as by how fast it runs.
   */
  private static void large(
      Results results, Settings settings, String system, String mode, EchoClient client)
      throws Exception {
    Payload mib = UnaryBenchmark.payload(1 << 20);
    UnaryBenchmark large =
        new UnaryBenchmark(
            new Settings(
                settings.scenarioCalls() / 4,
                Duration.ZERO,
                settings.scenarioCalls(),
                settings.throughputWarmup().multipliedBy(LARGE_WARMUP_FACTOR),
                settings.throughputTime(),
                List.of(4),
                List.of(),
                0,
                0,
                0,
                0,
                List.of()));
    Histogram latency = large.latency(client, mib);
    results.add(LARGE, system, mode, "1MiB", "p50", latency.getValueAtPercentile(50), "us");
    results.add(
        LARGE, system, mode, "1MiB", "4 in flight", large.throughput(client, mib, 4), "req/s");
  }

  /** Sequential 100 B calls' latency while another thread keeps a 4 MiB call running. */
  private static Histogram besideLargeCalls(EchoClient client, int calls) throws Exception {
    Payload small = UnaryBenchmark.payload(100);
    Payload large = UnaryBenchmark.payload(4 * 1024 * 1024 - 64);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread background =
        new Thread(
            () -> {
              try {
                while (!stop.get()) {
                  client.call(large).get(30, TimeUnit.SECONDS);
                }
              } catch (Exception e) {
                failure.set(e);
              }
            },
            "large-calls");
    background.start();
    try {
      Thread.sleep(Duration.ofMillis(200).toMillis());
      Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
      for (int i = 0; i < calls; i++) {
        long begin = System.nanoTime();
        client.call(small).get(30, TimeUnit.SECONDS);
        histogram.recordValue(Math.max(1, (System.nanoTime() - begin) / 1_000));
      }
      return histogram;
    } finally {
      stop.set(true);
      background.join(TimeUnit.SECONDS.toMillis(60));
      if (failure.get() != null) {
        throw new IllegalStateException("a 4 MiB call failed", failure.get());
      }
    }
  }
}
