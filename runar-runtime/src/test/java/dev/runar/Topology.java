package dev.runar;

import static dev.runar.TestServices.eventually;

import dev.runar.discovery.MemoryDiscovery;
import dev.runar.network.Peers;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The nodes of a test that runs both on one node and on three nodes over real QUIC: a caller (A), a
 * middle node (B) and a leaf (C). On one node, all three are the same node.
 */
final class Topology implements AutoCloseable {
  /** Where the test runs. */
  enum Mode {
    ONE_NODE,
    THREE_NODES
  }

  /** A node's part in the test. */
  enum Role {
    CALLER,
    MIDDLE,
    LEAF
  }

  private final List<Node> nodes = new ArrayList<>();
  private final Node caller;
  private final Node middle;
  private final Node leaf;

  /**
   * @param configure adds what the test needs to a role's node config (on one node, every role's
   *     additions go to the one node, in role order)
   */
  Topology(Mode mode, Map<Role, UnaryOperator<NodeConfig.Builder>> configure) throws Exception {
    String network = "net-" + UUID.randomUUID().toString().substring(0, 8);
    if (mode == Mode.ONE_NODE) {
      NodeConfig.Builder b =
          NodeConfig.builder().networkId(network).shutdownGracePeriod(Duration.ofMillis(500));
      for (Role role : Role.values()) {
        b = configure.getOrDefault(role, x -> x).apply(b);
      }
      Node only = Node.create(b.build()).start();
      nodes.add(only);
      caller = only;
      middle = only;
      leaf = only;
      return;
    }
    MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
    Node[] made = new Node[3];
    for (int i = 0; i < 3; i++) {
      NodeConfig.Builder b =
          NodeConfig.builder()
              .nodeId("node-" + (char) ('a' + i))
              .networkId(network)
              .shutdownGracePeriod(Duration.ofMillis(500))
              .transport(
                  new QuicTransport(
                      QuicTransportConfig.builder()
                          .security(Security.development())
                          .shutdownGracePeriod(Duration.ofMillis(500))
                          .build()))
              .discovery(discovery.discovery());
      b = configure.getOrDefault(Role.values()[i], x -> x).apply(b);
      made[i] = Node.create(b.build()).start();
      nodes.add(made[i]);
    }
    caller = made[0];
    middle = made[1];
    leaf = made[2];
    for (Node n : nodes) {
      for (Node other : nodes) {
        if (n != other) {
          eventually(
              () ->
                  n.peers()
                      .get(other.nodeId())
                      .map(p -> p.state() == Peers.PeerState.CONNECTED)
                      .orElse(false));
        }
      }
    }
  }

  Topology(Mode mode) throws Exception {
    this(mode, Map.of());
  }

  Node caller() {
    return caller;
  }

  Node middle() {
    return middle;
  }

  Node leaf() {
    return leaf;
  }

  /**
   * Adds {@code service} to {@code host} and waits until every node can call it: {@code probe} is
   * an action of it that answers at once.
   */
  void addAndAwait(Node host, ServiceDefinition service, MethodDescriptor<?, ?> probe)
      throws Exception {
    host.addService(service);
    for (Node n : nodes) {
      eventually(
          () -> {
            try {
              n.request(
                      probe.path(),
                      probe.requestPrototype(),
                      CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)))
                  .get(5, TimeUnit.SECONDS);
              return true;
            } catch (ExecutionException e) {
              return Status.fromThrowable(e).code() != Status.Code.NOT_FOUND;
            }
          });
    }
  }

  @Override
  public void close() {
    nodes.forEach(Node::stop);
  }
}
