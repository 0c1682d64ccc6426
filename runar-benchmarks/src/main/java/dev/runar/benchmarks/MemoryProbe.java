package dev.runar.benchmarks;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in its own JVM for the memory benchmark: reports heap and RSS when asked, before and after
 * starting an idle networked node, and again once peers have connected to it.
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  public static void main(String[] args) throws Exception {
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    report("baseline");
    Node node =
        Node.create(
            NodeConfig.builder()
                .nodeId("memory-probe")
                .networkId(args[0])
                .transport(
                    new QuicTransport(
                        QuicTransportConfig.builder().security(Security.development()).build()))
                .build());
    node.addService(new RunarClients.EchoService());
    node.start();
    System.out.println(
        "LISTEN " + node.config().transport().orElseThrow().localAddress().getPort());
    report("idle");
    String line;
    while ((line = commands.readLine()) != null) {
      if (line.startsWith("measure ")) {
        report(line.substring("measure ".length()));
      }
    }
    node.stop();
  }

  private static void report(String label) throws Exception {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.println("MEMORY " + label + " " + heap + " " + rss());
    System.out.flush();
  }

  /** Resident set size in bytes, from /proc (Linux); -1 elsewhere. */
  static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }
}
