package dev.runar.examples.greeter;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.discovery.MulticastDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;

/**
 * How the greeter example's processes make their node: QUIC on 127.0.0.1, multicast discovery with
 * the default group and port, development security (encrypted, not authenticated: see the demo
 * module for mutual TLS with a network CA).
 */
final class ExampleNode {
  static final String NETWORK = "greeter-example";

  private ExampleNode() {}

  static Node create() {
    return Node.create(
        NodeConfig.builder()
            .networkId(NETWORK)
            .transport(
                new QuicTransport(
                    QuicTransportConfig.builder().security(Security.development()).build()))
            .discovery(MulticastDiscovery.create())
            .build());
  }
}
