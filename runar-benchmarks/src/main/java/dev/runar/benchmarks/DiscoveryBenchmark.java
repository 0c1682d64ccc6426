package dev.runar.benchmarks;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.benchmarks.proto.EchoRunar;
import dev.runar.discovery.MulticastDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time from a node's start to its first successful call to a peer found by multicast on loopback.
 */
final class DiscoveryBenchmark {
  private DiscoveryBenchmark() {}

  /** Milliseconds, for one fresh pair of nodes. */
  static double run() throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    MulticastDiscovery.Config multicast =
        MulticastDiscovery.Config.builder()
            .group("239.255." + random.nextInt(1, 255) + "." + random.nextInt(1, 255))
            .port(random.nextInt(20_000, 60_000))
            .build();
    String network = "discovery-" + UUID.randomUUID().toString().substring(0, 8);
    Node server = node("discovery-server", network, multicast);
    server.addService(new RunarClients.EchoService());
    server.start();
    Node client = null;
    try {
      long start = System.nanoTime();
      client = node("discovery-client", network, multicast).start();
      RunarClients.awaitReachable(EchoRunar.newBlockingStub(client));
      return (System.nanoTime() - start) / 1e6;
    } finally {
      if (client != null) {
        client.stop();
      }
      server.stop();
    }
  }

  private static Node node(String id, String network, MulticastDiscovery.Config multicast) {
    return Node.create(
        NodeConfig.builder()
            .nodeId(id)
            .networkId(network)
            .transport(
                new QuicTransport(
                    QuicTransportConfig.builder().security(Security.development()).build()))
            .discovery(MulticastDiscovery.create(multicast))
            .build());
  }
}
