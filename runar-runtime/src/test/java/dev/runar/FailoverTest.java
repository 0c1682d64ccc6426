package dev.runar;

import static dev.runar.TestServices.eventually;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.runar.discovery.MemoryDiscovery;
import dev.runar.discovery.StaticDiscovery;
import dev.runar.network.Peers.PeerState;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.registry.proto.ListPeersRequest;
import dev.runar.registry.proto.ListPeersResponse;
import dev.runar.registry.proto.PeerInfo;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Providers that leave, callers that keep calling: graceful stops lose no call, nested blocking
 * calls between nodes do not starve, and introspection shows only what can be called. Real QUIC on
 * 127.0.0.1, nodes in this JVM (nothing here needs a crash).
 */
class FailoverTest {
  private final MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
  private final String network = "failover-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Node> nodes = new ArrayList<>();

  private NodeConfig.Builder config(String id) {
    return NodeConfig.builder()
        .nodeId(id)
        .networkId(network)
        .transport(
            new QuicTransport(
                QuicTransportConfig.builder().security(Security.development()).build()));
  }

  private Node start(NodeConfig.Builder config) {
    Node node = Node.create(config.build());
    nodes.add(node);
    return node.start();
  }

  @AfterEach
  void stopAll() {
    nodes.forEach(Node::stop);
  }

  private static ServiceDefinition counting(AtomicLong served) {
    return TestServices.service(
        "work",
        "echo",
        (request, context) -> {
          served.incrementAndGet();
          return CompletableFuture.completedFuture(request);
        });
  }

  @ParameterizedTest(name = "{0} calls in flight")
  @ValueSource(ints = {64, 256})
  @Timeout(30)
  void oneOfTwoProvidersStopsGracefullyWithoutAnyCallFailing(int inFlight) throws Exception {
    AtomicLong servedByLeaving = new AtomicLong();
    AtomicLong servedByStaying = new AtomicLong();
    Node leaving = start(config("leaving").discovery(discovery.discovery()));
    leaving.addService(counting(servedByLeaving));
    Node staying = start(config("staying").discovery(discovery.discovery()));
    staying.addService(counting(servedByStaying));
    Node client = start(config("client").discovery(discovery.discovery()));
    eventually(
        () ->
            TestServices.isConnected(client, "leaving")
                && TestServices.isConnected(client, "staying"));
    eventually(() -> providesWork(client, "leaving") && providesWork(client, "staying"));

    try (CallLoad load =
        new CallLoad(client, "work/echo", inFlight, Duration.ofSeconds(5)).start()) {
      eventually(() -> servedByLeaving.get() > 500 && servedByStaying.get() > 500);
      leaving.stop();
      long stoppedAt = load.successes();
      assertTrue(
          load.awaitSuccessAfter(stoppedAt + 2_000, Duration.ofSeconds(10)) != null,
          load::toString);
      assertTrue(load.stop(Duration.ofSeconds(2)), "calls hung: " + load);
      assertEquals(0, load.failures(), () -> "client-visible failures: " + load);
    }
  }

  @Test
  @Timeout(30)
  void nestedBlockingCallsBetweenTwoNodesWorkAtSixtyFourConcurrentCalls() throws Exception {
    Node a = start(config("nest-a").discovery(discovery.discovery()));
    Node b = start(config("nest-b").discovery(discovery.discovery()));
    Duration timeout = Duration.ofSeconds(10);
    // A's outer handler blocks on B, whose handler blocks on A's inner action: default settings.
    a.addService(
        ServiceDefinition.builder("outer")
            .unary(
                TestServices.method("outer", "call"),
                (request, context) -> {
                  StringValue middle =
                      a.call(
                              TestServices.method("middle", "call"),
                              request,
                              CallOptions.DEFAULT.withTimeout(timeout))
                          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                  return CompletableFuture.completedFuture(middle);
                })
            .build());
    a.addService(TestServices.echo("inner"));
    b.addService(
        ServiceDefinition.builder("middle")
            .unary(
                TestServices.method("middle", "call"),
                (request, context) -> {
                  StringValue inner =
                      b.call(
                              TestServices.method("inner", "echo"),
                              request,
                              CallOptions.DEFAULT.withTimeout(timeout))
                          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                  return CompletableFuture.completedFuture(inner);
                })
            .build());
    eventually(() -> providesPath(a, "nest-b", "middle") && providesPath(b, "nest-a", "inner"));

    List<CompletableFuture<StringValue>> outer = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      outer.add(
          a.call(
              TestServices.method("outer", "call"),
              str("n" + i),
              CallOptions.DEFAULT.withTimeout(timeout)));
    }
    for (int i = 0; i < 64; i++) {
      assertEquals(str("n" + i), outer.get(i).get(15, TimeUnit.SECONDS));
    }
  }

  @Test
  @Timeout(30)
  void peersListShowsServicesOnlyForConnectedPeers() throws Exception {
    Node server = start(config("lister-server"));
    server.addService(TestServices.echo("work"));
    Node client =
        start(
            config("lister-client")
                .discovery(
                    StaticDiscovery.of(server.config().transport().orElseThrow().localAddress())));
    eventually(() -> TestServices.isConnected(client, "lister-server"));
    assertEquals(List.of("work"), listedServices(client, "lister-server"));

    server.stop(); // the seed stays known: the client keeps redialing it
    eventually(() -> !TestServices.isConnected(client, "lister-server"));
    assertEquals(List.of(), listedServices(client, "lister-server"));
  }

  private static List<String> listedServices(Node node, String peerId) throws Exception {
    ListPeersResponse peers =
        (ListPeersResponse)
            node.request("$registry/peers/list", ListPeersRequest.getDefaultInstance())
                .get(5, TimeUnit.SECONDS);
    for (PeerInfo peer : peers.getPeersList()) {
      if (peer.getNodeId().equals(peerId)) {
        return peer.getServicesList().stream().map(s -> s.substring(s.indexOf(':') + 1)).toList();
      }
    }
    throw new AssertionError(peerId + " not listed: " + peers);
  }

  private static boolean providesWork(Node node, String peerId) {
    return providesPath(node, peerId, "work");
  }

  private static boolean providesPath(Node node, String peerId, String service) {
    return node.peers()
        .get(peerId)
        .map(
            p ->
                p.state() == PeerState.CONNECTED
                    && p.info().getServicesList().stream()
                        .anyMatch(s -> s.getPath().endsWith(":" + service)))
        .orElse(false);
  }
}
