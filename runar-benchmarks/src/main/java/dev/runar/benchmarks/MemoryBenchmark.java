package dev.runar.benchmarks;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.discovery.StaticDiscovery;
import dev.runar.network.Peers.PeerState;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Heap and RSS of an idle networked node, and what each connected peer adds, measured in a JVM of
 * its own ({@link MemoryProbe}) so that nothing else in this process is counted.
 */
final class MemoryBenchmark {
  static final int PEERS = 4;

  /** Bytes: node heap, node RSS, heap per peer, RSS per peer. */
  record Outcome(long nodeHeap, long nodeRss, long heapPerPeer, long rssPerPeer) {}

  private MemoryBenchmark() {}

  static Outcome run() throws Exception {
    String network = "memory-" + UUID.randomUUID().toString().substring(0, 8);
    Process probe =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx256m",
                "-cp",
                System.getProperty(
                    "surefire.test.class.path", System.getProperty("java.class.path")),
                MemoryProbe.class.getName(),
                network)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<Node> peers = new ArrayList<>();
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(probe.getOutputStream(), StandardCharsets.UTF_8)) {
      long[] baseline = memory(out.readLine(), "baseline");
      int port = Integer.parseInt(out.readLine().split(" ")[1]);
      long[] idle = memory(out.readLine(), "idle");
      for (int i = 0; i < PEERS; i++) {
        peers.add(
            Node.create(
                    NodeConfig.builder()
                        .nodeId("memory-peer-" + i)
                        .networkId(network)
                        .transport(
                            new QuicTransport(
                                QuicTransportConfig.builder()
                                    .security(Security.development())
                                    .build()))
                        .discovery(StaticDiscovery.of(new InetSocketAddress("127.0.0.1", port)))
                        .build())
                .start());
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (Node peer : peers) {
        while (peer.peers()
            .get("memory-probe")
            .map(p -> p.state() != PeerState.CONNECTED)
            .orElse(true)) {
          if (System.nanoTime() > end) {
            throw new IllegalStateException("peers did not connect to the probe");
          }
          Thread.sleep(20);
        }
      }
      in.write("measure peers\n");
      in.flush();
      long[] connected = memory(out.readLine(), "peers");
      return new Outcome(
          idle[0] - baseline[0],
          idle[1] - baseline[1],
          (connected[0] - idle[0]) / PEERS,
          (connected[1] - idle[1]) / PEERS);
    } finally {
      peers.forEach(Node::stop);
      probe.destroy();
      probe.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static long[] memory(String line, String label) {
    String[] parts = line == null ? new String[0] : line.split(" ");
    if (parts.length != 4 || !parts[0].equals("MEMORY") || !parts[1].equals(label)) {
      throw new IllegalStateException("unexpected probe output: " + line);
    }
    return new long[] {Long.parseLong(parts[2]), Long.parseLong(parts[3])};
  }
}
