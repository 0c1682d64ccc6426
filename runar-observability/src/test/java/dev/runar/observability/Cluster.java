package dev.runar.observability;

import com.google.protobuf.StringValue;
import dev.runar.MethodDescriptor;
import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.NodeExtension;
import dev.runar.discovery.MemoryDiscovery;
import dev.runar.network.Peers.PeerState;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Nodes over real QUIC on 127.0.0.1 that find each other through an in-memory discovery network of
 * their own (one per test); {@link #close} stops them all.
 */
final class Cluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
  private final String network = "obs-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Node> nodes = new ArrayList<>();

  /** A node {@code id} with {@code extension}, not started (add services first). */
  Node create(String id, NodeExtension extension) {
    Node node =
        Node.create(
            NodeConfig.builder()
                .nodeId(id)
                .networkId(network)
                .shutdownGracePeriod(Duration.ofSeconds(1))
                .transport(
                    new QuicTransport(
                        QuicTransportConfig.builder().security(Security.development()).build()))
                .discovery(discovery.discovery())
                .extension(extension)
                .build());
    nodes.add(node);
    return node;
  }

  static MethodDescriptor<StringValue, StringValue> unary(String service, String action) {
    return MethodDescriptor.unary(
        service, action, StringValue.getDefaultInstance(), StringValue.getDefaultInstance());
  }

  /** Waits until {@code node} is connected to {@code peerId} and sees it serve {@code service}. */
  static void awaitProvider(Node node, String peerId, String service) throws Exception {
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

  /** Waits until {@code condition} holds, polling every 10 ms; fails after {@link #WAIT}. */
  static void eventually(Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + WAIT.toSeconds() + " s");
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    nodes.forEach(Node::stop);
  }
}
