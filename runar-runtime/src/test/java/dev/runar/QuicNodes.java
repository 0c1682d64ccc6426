package dev.runar;

import static dev.runar.TestServices.eventually;

import dev.runar.discovery.MemoryDiscovery;
import dev.runar.network.Peers.PeerState;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Nodes over real QUIC on 127.0.0.1 that find each other through an in-memory discovery network of
 * their own: one per test, closed (every node stopped) after it. Shared with other modules' tests
 * through the runtime's test-jar. Not thread-safe: used by the test's thread.
 */
public final class QuicNodes implements AutoCloseable {
  private final MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
  private final String network = "calls-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Node> nodes = new ArrayList<>();

  /** A started node {@code id}, its config changed by {@code config}. */
  public Node start(String id, UnaryOperator<NodeConfig.Builder> config) {
    Node node =
        Node.create(
            config
                .apply(
                    NodeConfig.builder()
                        .nodeId(id)
                        .networkId(network)
                        .shutdownGracePeriod(Duration.ofSeconds(1))
                        .transport(
                            new QuicTransport(
                                QuicTransportConfig.builder()
                                    .security(Security.development())
                                    .build()))
                        .discovery(discovery.discovery()))
                .build());
    nodes.add(node);
    return node.start();
  }

  /** A started node {@code id} with default settings. */
  public Node start(String id) {
    return start(id, b -> b);
  }

  /** Waits until {@code node} is connected to {@code peerId} and sees it serve {@code service}. */
  public static void awaitProvider(Node node, String peerId, String service) throws Exception {
    eventually(
        () ->
            node.peers()
                .get(peerId)
                .map(
                    p ->
                        p.state() == PeerState.CONNECTED
                            && p.info().getServicesList().stream()
                                .anyMatch(s -> s.getPath().endsWith(":" + service)))
                .orElse(false));
  }

  @Override
  public void close() {
    nodes.forEach(Node::stop);
  }
}
