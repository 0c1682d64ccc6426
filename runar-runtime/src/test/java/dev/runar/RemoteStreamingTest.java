package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runar.discovery.MemoryDiscovery;
import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The streaming cases across real QUIC on 127.0.0.1: caller and service on two nodes. */
class RemoteStreamingTest extends StreamingTest {
  @Override
  protected void startNodes() {
    MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
    String network = "streams-" + UUID.randomUUID().toString().substring(0, 8);
    server = node("stream-server", network, discovery, false).start();
    client = node("stream-client", network, discovery, callerInDirectMode()).start();
  }

  /** Whether the calling node runs handlers and callbacks on its I/O thread. */
  protected boolean callerInDirectMode() {
    return false;
  }

  private static Node node(
      String id, String network, MemoryDiscovery.Network discovery, boolean direct) {
    return Node.create(
        NodeConfig.builder()
            .nodeId(id)
            .networkId(network)
            .directExecution(direct)
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
    NumbersService.awaitReachable(client);
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

  /**
   * A stream asks its producer for small messages a few at a time, so the producer need not wait
   * for a round of thread hand-offs after each; messages as large as the queue's 64 KiB it still
   * asks for one at a time.
   */
  @Test
  void smallMessagesAreAskedForAheadAndLargeOnesOneAtATime() throws Exception {
    assertEquals(16, maxAskedAhead(200, 100));
    assertEquals(1, maxAskedAhead(20, 64 * 1024));
  }

  /** Sends {@code count} numbers of {@code padding} bytes; returns the most asked ahead at once. */
  private long maxAskedAhead(int count, int padding) throws Exception {
    Number message = NumbersService.number(1).toBuilder().setPadding(padding(padding)).build();
    AtomicLong asked = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    AtomicLong maxAhead = new AtomicLong();
    Flow.Publisher<Number> numbers =
        subscriber ->
            subscriber.onSubscribe(
                new Flow.Subscription() {
                  private boolean delivering;
                  private boolean completed;

                  @Override
                  public synchronized void request(long n) {
                    maxAhead.accumulateAndGet(asked.addAndGet(n) - sent.get(), Math::max);
                    if (delivering) {
                      return; // the loop below takes the new demand
                    }
                    delivering = true;
                    while (sent.get() < asked.get() && sent.get() < count) {
                      sent.incrementAndGet();
                      subscriber.onNext(message);
                    }
                    delivering = false;
                    if (sent.get() == count && !completed) {
                      completed = true;
                      subscriber.onComplete();
                    }
                  }

                  @Override
                  public void cancel() {}
                });
    assertEquals(
        count,
        NumbersRunar.newFutureStub(client).sum(numbers).get(30, TimeUnit.SECONDS).getValue());
    return maxAhead.get();
  }

  private static ByteString padding(int bytes) {
    return ByteString.copyFrom(new byte[bytes]);
  }
}
