package dev.runar.examples.demo;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.discovery.MulticastDiscovery;
import dev.runar.discovery.NodeDiscovery;
import dev.runar.discovery.etcd.EtcdDiscovery;
import dev.runar.discovery.etcd.EtcdDiscoveryConfig;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.NodeCredentials;
import dev.runar.security.Security;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What every node of one demo run shares: a network id, a multicast group and port of its own (so
 * runs never hear each other), a directory of PEM credentials issued by the run's development CA,
 * and the etcd endpoints when the run discovers through etcd instead of multicast. Passed to the
 * other processes as arguments.
 */
record DemoSettings(
    String networkId, String group, int port, Path certificates, Optional<String> etcdEndpoints) {
  private static final String NO_ETCD = "-";

  List<String> asArguments() {
    return List.of(
        networkId,
        group,
        String.valueOf(port),
        certificates.toString(),
        etcdEndpoints.orElse(NO_ETCD));
  }

  static DemoSettings fromArguments(String[] args, int offset) {
    return new DemoSettings(
        args[offset],
        args[offset + 1],
        Integer.parseInt(args[offset + 2]),
        Path.of(args[offset + 3]),
        Optional.of(args[offset + 4]).filter(e -> !e.equals(NO_ETCD)));
  }

  /** How the nodes find each other, for the demo's output. */
  String discoveryDescription() {
    return etcdEndpoints
        .map(e -> "through etcd at " + e + " (multicast off)")
        .orElse("by multicast on " + group + ":" + port);
  }

  /**
   * A node with QUIC on 127.0.0.1, mutual TLS with its issued certificate, and multicast discovery,
   * or etcd discovery when the run has etcd endpoints.
   */
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
            .discovery(discovery())
            .build());
  }

  private NodeDiscovery discovery() {
    if (etcdEndpoints.isPresent()) {
      return EtcdDiscovery.create(
          EtcdDiscoveryConfig.builder().endpointList(etcdEndpoints.get()).build());
    }
    return MulticastDiscovery.create(
        MulticastDiscovery.Config.builder()
            .group(group)
            .port(port)
            .announceInterval(Duration.ofMillis(250))
            .timeToLive(Duration.ofSeconds(3))
            .build());
  }
}
