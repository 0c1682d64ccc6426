package dev.runar.cli;

import dev.runar.security.DevelopmentCa;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A network of {@link TestNodeMain} nodes in child JVMs, with a network id, multicast group and
 * port of its own, and certificates from a development CA made for it (one for each node, and one
 * for the command, whose CN is {@code cli}). Driven by one test thread.
 */
final class TestNetwork implements AutoCloseable {
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  final String networkId = "cli-test-" + UUID.randomUUID().toString().substring(0, 8);
  final String group =
      "239.255."
          + ThreadLocalRandom.current().nextInt(1, 255)
          + "."
          + ThreadLocalRandom.current().nextInt(1, 255);
  final int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
  final Path certificates;
  private final DevelopmentCa ca;
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final Map<String, List<String>> output = new ConcurrentHashMap<>();

  TestNetwork(Path directory) throws IOException {
    this.certificates = directory;
    this.ca = DevelopmentCa.create(networkId);
    ca.writePem("cli", directory);
  }

  /** Starts node {@code nodeId} hosting {@code services}; returns where it listens. */
  String start(String nodeId, String services, boolean tick) throws Exception {
    ca.writePem(nodeId, certificates);
    return start(nodeId, networkId, group, certificates.toString(), services, tick);
  }

  /** Starts node {@code nodeId} of a development network (no certificates), on the same group. */
  String startDevelopment(String nodeId, String network, String services) throws Exception {
    return start(nodeId, network, group, "-", services, false);
  }

  /** Starts node {@code nodeId} of a development network that discovers through etcd. */
  String startWithEtcd(String nodeId, String network, String endpoints, String services)
      throws Exception {
    return start(nodeId, network, endpoints, "-", services, false);
  }

  private String start(
      String nodeId,
      String network,
      String discovery,
      String certificateDir,
      String services,
      boolean tick)
      throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    output.put(nodeId, lines);
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            TestNodeMain.class.getName(),
            nodeId,
            network,
            discovery,
            String.valueOf(port),
            certificateDir,
            services,
            String.valueOf(tick));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.put(nodeId, process);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "node-" + nodeId);
    reader.setDaemon(true);
    reader.start();
    String ready = awaitLine(nodeId, l -> l.startsWith("ready "), READY_TIMEOUT);
    if (ready == null) {
      throw new IllegalStateException(nodeId + " did not start within " + READY_TIMEOUT);
    }
    return ready.substring("ready ".length());
  }

  /** The first line {@code nodeId} printed that passes {@code test}, waiting up to timeout. */
  String awaitLine(String nodeId, Predicate<String> test, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    do {
      for (String line : output.get(nodeId)) {
        if (test.test(line)) {
          return line;
        }
      }
      Thread.sleep(20);
    } while (System.nanoTime() < end);
    return null;
  }

  /** The options that let the command join this network as {@code cli}. */
  List<String> joinOptions() {
    return List.of(
        "--network",
        networkId,
        "--multicast",
        group + ":" + port,
        "--ca",
        certificates.resolve("ca.crt").toString(),
        "--cert",
        certificates.resolve("cli.crt").toString(),
        "--key",
        certificates.resolve("cli.key").toString());
  }

  /** Stops node {@code nodeId}: closes its standard input, then waits for it to end. */
  void stop(String nodeId) throws InterruptedException {
    Process p = processes.remove(nodeId);
    if (p != null) {
      leave(p);
      awaitEnd(p);
    }
  }

  @Override
  public void close() throws InterruptedException {
    processes.values().forEach(TestNetwork::leave);
    for (Process p : processes.values()) {
      awaitEnd(p);
    }
    processes.clear();
  }

  private static void leave(Process p) {
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
  }

  private static void awaitEnd(Process p) throws InterruptedException {
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
