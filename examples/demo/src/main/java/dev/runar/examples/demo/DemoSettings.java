package dev.runar.examples.demo;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.discovery.MulticastDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.NodeCredentials;
import dev.runar.security.Security;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What every node of one demo run shares: a network id, a multicast group and port of its own (so
 * runs never hear each other), and a directory of PEM credentials issued by the run's development
 * CA. Passed to the other processes as arguments.
 */
record DemoSettings(String networkId, String group, int port, Path certificates) {
  List<String> asArguments() {
    return List.of(networkId, group, String.valueOf(port), certificates.toString());
  }

  static DemoSettings fromArguments(String[] args, int offset) {
    return new DemoSettings(args[offset], args[offset + 1], Integer.parseInt(args[offset + 2]), Path.of(args[offset + 3]));
  }

  /** A node with QUIC on 127.0.0.1, mutual TLS with its issued certificate, multicast discovery. */
  Node node(String nodeId) throws Exception {
    NodeCredentials credentials =
        NodeCredentials.fromPem(
            certificates.resolve(nodeId + ".crt"),
            certificates.resolve(nodeId + ".key"),
            certificates.resolve("ca.crt"));
    return Node.create(
        NodeConfig.builder()
            .nodeId(nodeId)
            .networkId(networkId)
            .shutdownGracePeriod(Duration.ofSeconds(1))
            .transport(
                new QuicTransport(
                    QuicTransportConfig.builder()
                        .security(Security.networkCa(credentials))
                        .shutdownGracePeriod(Duration.ofSeconds(1))
                        .build()))
            .discovery(
                MulticastDiscovery.create(
                    MulticastDiscovery.Config.builder()
                        .group(group)
                        .port(port)
                        .announceInterval(Duration.ofMillis(250))
                        .timeToLive(Duration.ofSeconds(3))
                        .build()))
            .build());
  }
}
