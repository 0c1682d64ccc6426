package dev.runar;

import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import dev.runar.discovery.StaticDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StaticDiscoveryTest {
  private static Node node(String id, InetSocketAddress bind, StaticDiscovery discovery) {
    NodeConfig.Builder config =
        NodeConfig.builder()
            .nodeId(id)
            .networkId("static-net")
            .transport(
                new QuicTransport(
                    QuicTransportConfig.builder()
                        .security(Security.development())
                        .bindAddress(bind)
                        .build()));
    if (discovery != null) {
      config.discovery(discovery);
    }
    return Node.create(config.build());
  }

  @Test
  void aSeedThatComesUpLateIsReachedByRetryingWithBackoff() throws Exception {
    InetSocketAddress seed;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      seed = new InetSocketAddress("127.0.0.1", probe.getLocalPort()); // free now, taken later
    }
    Node a = node("static-a", new InetSocketAddress("127.0.0.1", 0), StaticDiscovery.of(seed));
    a.addService(TestServices.echo("on-a"));
    a.start();
    Node b = null;
    try {
      Thread.sleep(500); // a's first attempts fail: nothing listens yet
      b = node("static-b", seed, null);
      b.addService(TestServices.echo("on-b"));
      b.start();
      Node started = b;
      TestServices.eventually(
          () -> {
            try {
              return ((Any) a.request("on-b/echo", str("x")).get(2, TimeUnit.SECONDS))
                  .unpack(StringValue.class)
                  .getValue()
                  .equals("x");
            } catch (java.util.concurrent.ExecutionException e) {
              return false;
            }
          });
      // The seed learned a's services from the handshake, without discovery of its own.
      StringValue back =
          started
              .call(TestServices.method("on-a", "echo"), str("y"), CallOptions.DEFAULT)
              .get(10, TimeUnit.SECONDS);
      assertEquals("y", back.getValue());
    } finally {
      a.stop();
      if (b != null) {
        b.stop();
      }
    }
  }
}
