package dev.runar.benchmarks;

import dev.runar.benchmarks.proto.Payload;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;

/**
 * Runs every benchmark side by side in one JVM and prints one table: Runar against grpc-java 1.85.1
 * (plaintext and TLS, direct and application executors), local calls against grpc's in-process
 * transport, a bare Netty QUIC echo as the ceiling, then events, discovery and memory. Results go
 * to {@code <dir>/results.{md,csv,json}}. Usage: {@code Benchmarks <dir> [--quick]}.
 */
public final class Benchmarks {
  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--one")) {
      runOne(args, Settings.full());
    } else if (args.length > 0 && args[0].equals("--scenarios")) {
      Scenarios.run(rowPrinter(), Settings.full(), args[1]);
    } else {
      Path dir = Path.of(args.length > 0 ? args[0] : "target/benchmarks");
      boolean quick = List.of(args).contains("--quick");
      run(quick ? Settings.quick() : Settings.full(), dir, !quick);
    }
    System.exit(0); // grpc and Netty leave non-daemon threads behind
  }

  /**
   * Runs everything; returns the results (also written under {@code dir}). With {@code isolate},
   * each echo client is measured in a fresh JVM of its own, so that no measurement inherits
   * threads, JIT state or garbage from another framework's.
   */
  static Results run(Settings settings, Path dir, boolean isolate) throws Exception {
    Results results = new Results();
    String machine = machine();
    System.out.println("Runar benchmarks on " + machine);
    UnaryBenchmark unary = new UnaryBenchmark(settings);
    for (int size : settings.payloadSizes()) {
      for (String mode : List.of("direct", "executor")) {
        for (String system :
            List.of(
                "runar-quic",
                "runar-quic-observed",
                "grpc-plaintext",
                "grpc-tls",
                "grpc-gateway",
                "runar-local",
                "grpc-inprocess")) {
          measure(results, unary, system, mode, size, isolate);
        }
      }
      measure(results, unary, "bare-quic-echo", "direct", size, isolate);
    }
    List<String> scenarioSystems = new ArrayList<>(Scenarios.SYSTEMS);
    scenarioSystems.add(Scenarios.CEILING);
    for (String system : scenarioSystems) {
      if (isolate) {
        child(results, "--scenarios", system);
      } else {
        Scenarios.run(results, settings, system);
      }
    }
    for (int subscribers : List.of(1, 4)) {
      EventsBenchmark.Outcome events = EventsBenchmark.run(subscribers, settings.events(), 100);
      String system = "runar " + subscribers + " sub" + (subscribers > 1 ? "s" : "");
      results.add(
          "events", system, "executor", "100B", "events/s", events.eventsPerSecond(), "1/s");
      results.add(
          "events",
          system,
          "executor",
          "100B",
          "latency p50",
          events.singleLatencyMicros().getValueAtPercentile(50),
          "us");
      results.add(
          "events",
          system,
          "executor",
          "100B",
          "latency p99",
          events.singleLatencyMicros().getValueAtPercentile(99),
          "us");
      results.add(
          "events",
          system,
          "executor",
          "100B",
          "burst latency p50",
          events.burstLatencyMicros().getValueAtPercentile(50),
          "us");
    }
    List<Double> discovery = new ArrayList<>();
    for (int i = 0; i < settings.discoveryRuns(); i++) {
      discovery.add(DiscoveryBenchmark.run());
    }
    discovery.sort(Double::compare);
    results.add(
        "discovery",
        "runar multicast",
        "-",
        "-",
        "start→call p50",
        discovery.get(discovery.size() / 2),
        "ms");
    MemoryBenchmark.Outcome memory = MemoryBenchmark.run();
    results.add("memory", "runar idle node", "-", "-", "heap", memory.nodeHeap() / 1024.0, "KiB");
    results.add("memory", "runar idle node", "-", "-", "RSS", memory.nodeRss() / 1024.0, "KiB");
    results.add("memory", "runar per peer", "-", "-", "heap", memory.heapPerPeer() / 1024.0, "KiB");
    results.add("memory", "runar per peer", "-", "-", "RSS", memory.rssPerPeer() / 1024.0, "KiB");

    List<String> ratios = ratios(results, settings);
    System.out.println();
    System.out.println(results.table());
    ratios.forEach(System.out::println);
    results.write(dir, ratios, machine);
    System.out.println("Written to " + dir.toAbsolutePath());
    return results;
  }

  private static String scenario(String system) {
    return switch (system) {
      case "runar-local", "grpc-inprocess" -> "local unary";
      case "bare-quic-echo" -> "ceiling";
      default -> "remote unary";
    };
  }

  private static Callable<EchoClient> client(String system, boolean direct) {
    return switch (system) {
      case "runar-quic" -> () -> RunarClients.remote(direct);
      case "runar-quic-observed" -> () -> RunarClients.observed(direct);
      case "grpc-plaintext" -> () -> GrpcClients.remote(false, direct);
      case "grpc-tls" -> () -> GrpcClients.remote(true, direct);
      case "grpc-gateway" -> () -> GatewayClients.remote(direct);
      case "runar-local" -> () -> RunarClients.local(direct);
      case "grpc-inprocess" -> () -> GrpcClients.inProcess(direct);
      case "bare-quic-echo" -> QuicEcho::new;
      default -> throw new IllegalArgumentException(system);
    };
  }

  /** Measures one client, here or in a fresh JVM whose rows come back on its output. */
  private static void measure(
      Results results, UnaryBenchmark unary, String system, String mode, int size, boolean isolate)
      throws Exception {
    if (!isolate) {
      measure(
          results,
          unary,
          scenario(system),
          system,
          mode,
          label(size),
          UnaryBenchmark.payload(size),
          client(system, mode.equals("direct")));
      return;
    }
    child(results, "--one", system, mode, String.valueOf(size));
  }

  /** Runs {@code Benchmarks args} in a fresh JVM and adds the rows it prints. */
  private static void child(Results results, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms512m",
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                Benchmarks.class.getName()));
    command.addAll(List.of(args));
    Process child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ROW|")) {
          String[] f = line.split("\\|");
          results.add(f[1], f[2], f[3], f[4], f[5], Double.parseDouble(f[6]), f[7]);
        }
      }
    }
    if (!child.waitFor(10, java.util.concurrent.TimeUnit.MINUTES) || child.exitValue() != 0) {
      throw new IllegalStateException("benchmark " + String.join(" ", args) + " failed");
    }
  }

  /** In a child JVM: measures one client and prints its rows. */
  private static void runOne(String[] args, Settings settings) throws Exception {
    String system = args[1];
    String mode = args[2];
    int size = Integer.parseInt(args[3]);
    measure(
        rowPrinter(),
        new UnaryBenchmark(settings),
        scenario(system),
        system,
        mode,
        label(size),
        UnaryBenchmark.payload(size),
        client(system, mode.equals("direct")));
  }

  /** Results that print each row for the parent JVM to read. */
  private static Results rowPrinter() {
    return new Results() {
      @Override
      void add(
          String scenario,
          String sys,
          String m,
          String payload,
          String metric,
          double value,
          String unit) {
        System.out.println(
            String.join(
                "|", "ROW", scenario, sys, m, payload, metric, String.valueOf(value), unit));
      }
    };
  }

  private static void measure(
      Results results,
      UnaryBenchmark unary,
      String scenario,
      String system,
      String mode,
      String payloadLabel,
      Payload payload,
      Callable<EchoClient> factory)
      throws Exception {
    try (EchoClient client = factory.call()) {
      Histogram latency = unary.latency(client, payload);
      results.add(
          scenario, system, mode, payloadLabel, "p50", latency.getValueAtPercentile(50), "us");
      results.add(
          scenario, system, mode, payloadLabel, "p99", latency.getValueAtPercentile(99), "us");
      for (int inFlight : unary.settingsInFlight()) {
        results.add(
            scenario,
            system,
            mode,
            payloadLabel,
            inFlight + " in flight",
            unary.throughput(client, payload, inFlight),
            "req/s");
      }
      for (int rate : unary.pacedRates()) {
        OptionalDouble cpu = unary.cpuPerCall(client, payload, rate);
        if (cpu.isPresent()) {
          results.add(
              scenario,
              system,
              mode,
              payloadLabel,
              UnaryBenchmark.cpuMetric(rate),
              cpu.getAsDouble(),
              "us");
        }
      }
    }
  }

  /** The targets, as ratios measured in this run. */
  static List<String> ratios(Results r, Settings settings) {
    List<String> lines = new ArrayList<>();
    int in =
        settings.inFlight().contains(64)
            ? 64
            : settings.inFlight().get(settings.inFlight().size() - 1);
    String tp = in + " in flight";
    for (int bytes : settings.payloadSizes()) {
      String size = label(bytes);
      for (String mode : List.of("direct", "executor")) {
        String target =
            mode.equals("direct")
                ? (bytes < 1024 ? "≥ 1.50" : "≥ 1.00")
                : (bytes < 1024 ? "≥ 2.00" : "≥ 1.30");
        for (String grpc : List.of("grpc-plaintext", "grpc-tls")) {
          lines.add(
              line(
                  "remote throughput runar/" + grpc + ", " + mode + ", " + size + ", " + tp,
                  ratio(r, "remote unary", "runar-quic", grpc, mode, size, tp),
                  target));
          for (int rate : settings.pacedRates()) {
            String cpu = UnaryBenchmark.cpuMetric(rate);
            lines.add(
                line(
                    "remote "
                        + cpu
                        + ", runar/"
                        + grpc
                        + " (lower: less CPU), "
                        + mode
                        + ", "
                        + size,
                    ratio(r, "remote unary", "runar-quic", grpc, mode, size, cpu),
                    "-"));
          }
        }
        lines.add(
            line(
                "observability on/off (runar-quic-observed/runar-quic), "
                    + mode
                    + ", "
                    + size
                    + ", "
                    + tp,
                ratio(r, "remote unary", "runar-quic-observed", "runar-quic", mode, size, tp),
                "-"));
        lines.add(
            line(
                "remote p50 runar/grpc-plaintext, " + mode + ", " + size,
                ratio(r, "remote unary", "runar-quic", "grpc-plaintext", mode, size, "p50"),
                "≤ 1.00"));
        lines.add(
            line(
                "gateway throughput grpc-gateway/grpc-plaintext, " + mode + ", " + size + ", " + tp,
                ratio(r, "remote unary", "grpc-gateway", "grpc-plaintext", mode, size, tp),
                "≥ 0.80"));
        lines.add(
            line(
                "local throughput runar/grpc-inprocess, " + mode + ", " + size + ", " + tp,
                ratio(r, "local unary", "runar-local", "grpc-inprocess", mode, size, tp),
                "≥ 5.00"));
      }
      lines.add(
          line(
              "remote throughput runar(direct)/bare QUIC echo, " + size + ", " + tp,
              againstEcho(r, size, tp),
              "≥ 0.85"));
      for (int rate : settings.pacedRates()) {
        String cpu = UnaryBenchmark.cpuMetric(rate);
        lines.add(
            line(
                "remote " + cpu + ", runar(direct)/bare QUIC echo (lower: less CPU), " + size,
                againstEcho(r, size, cpu),
                "-"));
      }
    }
    for (String grpc : List.of("grpc-plaintext", "grpc-tls")) {
      lines.add(
          line(
              "4 connections, 256 in flight, runar/" + grpc,
              ratio(r, Scenarios.MANY, "runar-quic", grpc, "executor", "100B", "256 in flight"),
              "-"));
      lines.add(
          line(
              "1 MiB unary, 4 in flight, runar/" + grpc,
              ratio(r, Scenarios.LARGE, "runar-quic", grpc, "executor", "1MiB", "4 in flight"),
              "≥ 0.80"));
      lines.add(
          line(
              "server stream 100 B messages/s, runar/" + grpc,
              ratio(r, Scenarios.STREAM, "runar-quic", grpc, "executor", "100B", "messages/s"),
              "≥ 1.00"));
      lines.add(
          line(
              "p99 of 100 B beside 4 MiB calls, runar/" + grpc,
              ratio(r, Scenarios.UNDER_LOAD, "runar-quic", grpc, "executor", "100B", "p99"),
              "-"));
    }
    lines.add(
        line(
            "1 MiB unary, 4 in flight, runar(executor)/bare QUIC echo",
            r.value(Scenarios.LARGE, "runar-quic", "executor", "1MiB", "4 in flight")
                / r.value(Scenarios.LARGE, Scenarios.CEILING, "direct", "1MiB", "4 in flight"),
            "-"));
    return lines;
  }

  /** Runar's remote figure over the bare QUIC echo's, both with handlers on the event loop. */
  private static double againstEcho(Results r, String size, String metric) {
    return r.value("remote unary", "runar-quic", "direct", size, metric)
        / r.value("ceiling", "bare-quic-echo", "direct", size, metric);
  }

  /** {@code system}'s figure over {@code other}'s, for the same scenario, mode, size and metric. */
  private static double ratio(
      Results r,
      String scenario,
      String system,
      String other,
      String mode,
      String size,
      String metric) {
    return r.value(scenario, system, mode, size, metric)
        / r.value(scenario, other, mode, size, metric);
  }

  private static String label(int bytes) {
    return bytes >= 1024 ? (bytes / 1024) + "KiB" : bytes + "B";
  }

  /** A ratio's line; NaN when a row is missing (a system that did not sustain a paced rate). */
  private static String line(String what, double ratio, String target) {
    if (Double.isNaN(ratio)) {
      return String.format(
          Locale.ROOT, "- %s: n/a (a row is missing: a system did not sustain the rate)", what);
    }
    return String.format(Locale.ROOT, "- %s: %.2f× (target %s)", what, ratio, target);
  }

  private static String machine() {
    return String.format(
            Locale.ROOT,
            "%d cores, %s %s, Java %s, %d MiB max heap",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name"),
            System.getProperty("os.arch"),
            System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() >> 20)
        + ", "
        + ManagementFactory.getRuntimeMXBean().getVmName();
  }
}
