package dev.runar;

import com.google.protobuf.StringValue;
import dev.runar.discovery.MulticastDiscovery;
import dev.runar.discovery.NodeDiscovery;
import dev.runar.discovery.StaticDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The process {@link CrashRecoveryTest} kills: hosts {@code work/echo} on a fixed QUIC port, prints
 * {@code READY} once started, and stops when its standard input closes (if it lives that long).
 *
 * <p>Arguments: node id, network id, QUIC port, then {@code multicast GROUP PORT} or {@code static
 * SEED_PORT} (a node on 127.0.0.1 to dial).
 */
public final class CrashablePeerMain {
  private CrashablePeerMain() {}

  public static void main(String[] args) throws Exception {
    String nodeId = args[0];
    String network = args[1];
    int quicPort = Integer.parseInt(args[2]);
    NodeDiscovery discovery =
        args[3].equals("multicast")
            ? MulticastDiscovery.create(
                MulticastDiscovery.Config.builder()
                    .group(args[4])
                    .port(Integer.parseInt(args[5]))
                    .announceInterval(Duration.ofSeconds(1))
                    .build())
            : StaticDiscovery.of(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[4])));
    Node node =
        Node.create(
            NodeConfig.builder()
                .nodeId(nodeId)
                .networkId(network)
                .transport(
                    new QuicTransport(
                        QuicTransportConfig.builder()
                            .security(Security.development())
                            .bindAddress(new InetSocketAddress("127.0.0.1", quicPort))
                            .build()))
                .discovery(discovery)
                .build());
    node.addService(
        TestServices.service(
            "work",
            "echo",
            (StringValue request, CallContext context) ->
                CompletableFuture.completedFuture(request)));
    node.start();
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the parent to close our input
    }
    node.stop();
  }
}
