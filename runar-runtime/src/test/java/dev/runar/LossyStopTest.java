package dev.runar;

import static dev.runar.TestServices.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.Sets;
import com.google.protobuf.StringValue;
import dev.runar.discovery.StaticDiscovery;
import dev.runar.network.Peers.PeerState;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A graceful stop at the worst moment: every datagram between the nodes is dropped for 200 ms from
 * the instant {@code stop()} begins (a lossy UDP relay sits between them). The caller must still
 * learn within 1 s that the node left, and no call that the stopping node ran may be reported
 * failed to its caller: QUIC retransmits the replies and the goodbye, because the stopping node
 * keeps its connection until the caller has them.
 */
class LossyStopTest {
  @Test
  @Timeout(30)
  void callerDropsTheStoppedNodeWithinASecondAndLosesNoReplyDespiteALossBurst() throws Exception {
    String network = "lossy-" + UUID.randomUUID().toString().substring(0, 8);
    Set<String> served = ConcurrentHashMap.newKeySet();
    Node server =
        Node.create(
                NodeConfig.builder()
                    .nodeId("lossy-server")
                    .networkId(network)
                    .transport(
                        new QuicTransport(
                            QuicTransportConfig.builder().security(Security.development()).build()))
                    .build())
            .start();
    server.addService(
        TestServices.service(
            "work",
            "echo",
            (StringValue request, CallContext context) -> {
              served.add(request.getValue());
              return CompletableFuture.completedFuture(request);
            }));
    Node client = null;
    try (LossyUdpRelay relay =
        new LossyUdpRelay(server.config().transport().orElseThrow().localAddress())) {
      client =
          Node.create(
                  NodeConfig.builder()
                      .nodeId("lossy-client")
                      .networkId(network)
                      .transport(
                          new QuicTransport(
                              QuicTransportConfig.builder()
                                  .security(Security.development())
                                  .build()))
                      .discovery(StaticDiscovery.of(relay.address()))
                      .build())
              .start();
      Node caller = client;
      eventually(() -> TestServices.isConnected(caller, "lossy-server"));
      CallLoad load = new CallLoad(client, "work/echo", 64, Duration.ofSeconds(3)).start();
      eventually(() -> load.successes() > 2_000);

      long stopAt = System.nanoTime();
      relay.dropFor(200);
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
      eventually(
          () ->
              caller
                  .peers()
                  .get("lossy-server")
                  .map(p -> p.state() != PeerState.CONNECTED)
                  .orElse(true));
      long leftAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);
      stopping.get(10, TimeUnit.SECONDS);

      assertTrue(load.stop(Duration.ofSeconds(1)), "calls hung: " + load);
      System.out.printf(
          "lossy stop: %d datagrams dropped, caller noticed after %d ms; %s%n",
          relay.dropped(), leftAfterMillis, load);
      assertTrue(relay.dropped() > 0, "the relay dropped nothing: the test proves nothing");
      assertTrue(
          leftAfterMillis <= 1_000, "the caller noticed the stop after " + leftAfterMillis + " ms");
      assertEquals(
          Set.of(),
          Sets.intersection(served, load.failedIds()),
          "calls that ran on the server but were reported failed; " + load);
    } finally {
      server.stop();
      if (client != null) {
        client.stop();
      }
    }
  }
}
