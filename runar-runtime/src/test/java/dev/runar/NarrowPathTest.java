package dev.runar;

import static dev.runar.TestServices.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.runar.discovery.StaticDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nodes that may send 8,972-byte datagrams (jumbo frames at both ends) talk across a path that
 * silently drops every datagram over 1,400 bytes both ways, as a tunnel whose routers' "packet too
 * big" messages are filtered does. Path MTU discovery finds the smaller size, so large calls get
 * through both ways; without it every full-size packet of a large message is lost and its calls run
 * out of time (checked: with discovery off, the first call fails with DEADLINE_EXCEEDED).
 */
class NarrowPathTest {
  private static final int JUMBO = 8972;
  private static final int NARROW = 1400;

  @Test
  @Timeout(60)
  void largeCallsCrossAPathNarrowerThanTheConfiguredDatagrams() throws Exception {
    try (QuicNodes nodes = new QuicNodes()) {
      Node server = nodes.start("narrow-server", b -> b.transport(jumboTransport()));
      server.addService(TestServices.echo("work"));
      try (LossyUdpRelay path =
          new LossyUdpRelay(server.config().transport().orElseThrow().localAddress())) {
        path.narrowTo(NARROW);
        Node client =
            nodes.start(
                "narrow-client",
                b -> b.transport(jumboTransport()).discovery(StaticDiscovery.of(path.address())));
        eventually(() -> TestServices.isConnected(client, "narrow-server"));
        String large = "x".repeat(200_000);
        for (int i = 0; i < 5; i++) {
          StringValue reply =
              client
                  .call(
                      TestServices.method("work", "echo"),
                      StringValue.of(large + i),
                      CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(8)))
                  .get(10, TimeUnit.SECONDS);
          assertEquals(large + i, reply.getValue(), "call " + i);
        }
        assertTrue(
            path.tooLarge() > 0,
            "the path dropped no datagram for its size: the test proves nothing");
      }
    }
  }

  private static QuicTransport jumboTransport() {
    return new QuicTransport(
        QuicTransportConfig.builder()
            .security(Security.development())
            .maxUdpPayloadSize(JUMBO)
            .build());
  }
}
