package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.discovery.MemoryDiscovery;
import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The streaming cases across real QUIC on 127.0.0.1: caller and service on two nodes. */
class RemoteStreamingTest extends StreamingTest {
  @Override
  protected void startNodes() {
    MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
    String network = "streams-" + UUID.randomUUID().toString().substring(0, 8);
    server = node("stream-server", network, discovery).start();
    client = node("stream-client", network, discovery).start();
  }

  private static Node node(String id, String network, MemoryDiscovery.Network discovery) {
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

  @Override
  protected void awaitReachable() throws Exception {
    TestServices.eventually(
        () -> {
          try {
            NumbersRunar.newBlockingStub(client).square(NumbersService.number(2));
            return true;
          } catch (StatusException e) {
            return false;
          }
        });
  }

  /**
   * Across the network the producer may also fill QUIC's stream receive window, which starts at
   * about 1 MiB and which QUIC (quiche) grows up to 16 MiB for a reader that keeps up: some 16,000
   * of the test's 1 KiB messages, plus the reader's prefetch. Never the whole 100,000.
   */
  @Override
  protected long backpressureBound() {
    return 20_000;
  }

  @Test
  void aPeerLostMidStreamFailsItWithUnavailable() throws Exception {
    BlockingStream<Number> numbers =
        NumbersRunar.newBlockingStub(client)
            .count(CountRequest.newBuilder().setCount(10_000).setPauseMillis(10).build());
    assertEquals(1, numbers.next().getValue());
    long t0 = System.nanoTime();
    server.stop();
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> {
              while (numbers.hasNext()) {
                numbers.next();
              }
            });
    assertEquals(Status.Code.UNAVAILABLE, e.code(), e.getMessage());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
  }
}
