package dev.runar.grpc.gateway;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.discovery.MemoryDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Two Runar nodes over real QUIC on 127.0.0.1: {@code serviceNode} hosts {@link EchoService},
 * {@code gatewayNode} hosts nothing and runs a plaintext {@link GrpcGateway} on a free port. Every
 * gRPC call through the gateway therefore crosses QUIC to the other node.
 */
final class GatewayFixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String ECHO = "gatewaytest.Echo";

  final EchoService echo = new EchoService();
  final Node serviceNode;
  final Node gatewayNode;
  final GrpcGateway gateway;

  GatewayFixture() throws Exception {
    MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
    String network = "gateway-" + UUID.randomUUID().toString().substring(0, 8);
    serviceNode = node("echo-node", network, discovery).start();
    serviceNode.addService(echo);
    gatewayNode = node("gateway-node", network, discovery).start();
    gateway = GrpcGateway.start(gatewayNode, GrpcGatewayConfig.builder().plaintext().build());
    eventually(() -> gateway.services().contains(ECHO));
  }

  String target() {
    return "127.0.0.1:" + gateway.port();
  }

  static Node node(String id, String network, MemoryDiscovery.Network discovery) {
    return Node.create(
        NodeConfig.builder()
            .nodeId(id)
            .networkId(network)
            .shutdownGracePeriod(Duration.ofMillis(300))
            .transport(
                new QuicTransport(
                    QuicTransportConfig.builder()
                        .security(Security.development())
                        .shutdownGracePeriod(Duration.ofMillis(300))
                        .build()))
            .discovery(discovery.discovery())
            .build());
  }

  /** Waits up to {@link #WAIT} for {@code condition}; fails the test otherwise. */
  static void eventually(Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("condition not met within " + WAIT);
  }

  @Override
  public void close() {
    gateway.close();
    gatewayNode.stop();
    serviceNode.stop();
  }
}
