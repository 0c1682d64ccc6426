package dev.runar;

import static dev.runar.TestServices.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.runar.discovery.StaticDiscovery;
import dev.runar.network.NetworkTransport;
import dev.runar.network.PeerConnection;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes calling each other all along while their connections churn: both dial at once, one
 * side's dials give up after the other opened them (the path loses everything the dialed node sends
 * after QUIC's handshake, {@link LossyUdpRelay#dropServerOneRtt}), and once the path heals they
 * move to the connection the smaller id dialed. No call fails: calls refused unstarted on a
 * connection that is going away are sent again on the one that replaces it.
 */
class DuplicateConnectionCallsTest {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);

  @Test
  @Timeout(90)
  void callsSucceedWhileTwoNodesSettleOnOneConnection() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    try (QuicNodes nodes = new QuicNodes();
        LossyUdpRelay toB = new LossyUdpRelay()) {
      toB.dropServerOneRtt(true);
      Node a =
          nodes.start(
              "a-" + run,
              c -> c.transport(transport()).discovery(StaticDiscovery.of(toB.address())));
      a.addService(TestServices.echo("at-a"));
      Node b =
          nodes.start(
              "b-" + run, c -> c.transport(transport()).discovery(StaticDiscovery.of(address(a))));
      b.addService(TestServices.echo("at-b"));
      toB.relayTo(address(b));
      QuicNodes.awaitProvider(a, b.nodeId(), "at-b");
      QuicNodes.awaitProvider(b, a.nodeId(), "at-a");

      AtomicBoolean calling = new AtomicBoolean(true);
      AtomicInteger succeeded = new AtomicInteger();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      List<Thread> callers = new ArrayList<>();
      for (Node caller : List.of(a, b, a, b)) {
        String service = caller == a ? "at-b" : "at-a"; // each calls the other
        Thread t =
            new Thread(() -> callUntilStopped(caller, service, calling, succeeded, failures));
        t.start();
        callers.add(t);
      }

      // node-b opens node-a's dials through the path and never gets through to it: they fail.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (toB.droppedOneRtt() == 0 && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertTrue(toB.droppedOneRtt() > 0, "the path dropped nothing: the test proves nothing");
      Thread.sleep(4_000); // past node-a's wait for node-b's Hello
      toB.dropServerOneRtt(false);

      // Healed: both move to the connection node-a dialed.
      eventually(() -> dialer(a, b.nodeId()).equals(Optional.of(true)));
      eventually(() -> dialer(b, a.nodeId()).equals(Optional.of(false)));
      Thread.sleep(500);
      calling.set(false);
      for (Thread t : callers) {
        t.join(TimeUnit.SECONDS.toMillis(20));
      }
      assertEquals(List.of(), List.copyOf(failures), "calls failed");
      assertTrue(succeeded.get() > 100, "only " + succeeded.get() + " calls made");
    }
  }

  private static void callUntilStopped(
      Node caller,
      String service,
      AtomicBoolean calling,
      AtomicInteger succeeded,
      ConcurrentLinkedQueue<String> failures) {
    int i = 0;
    while (calling.get()) {
      String text = caller.nodeId() + " " + i++;
      try {
        StringValue reply =
            caller
                .call(
                    TestServices.method(service, "echo"),
                    StringValue.of(text),
                    CallOptions.DEFAULT.withTimeout(CALL_TIMEOUT))
                .get(CALL_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        if (text.equals(reply.getValue())) {
          succeeded.incrementAndGet();
        } else {
          failures.add(text + " answered " + reply.getValue());
        }
      } catch (Exception e) {
        failures.add(text + ": " + e);
      }
    }
  }

  /** Whether {@code node}'s connection to {@code peerId} in use is one it dialed; empty if none. */
  private static Optional<Boolean> dialer(Node node, String peerId) {
    return node.config().transport().orElseThrow().connections().stream()
        .filter(c -> c.peerId().equals(peerId) && c.isOpen())
        .map(PeerConnection::isDialer)
        .findFirst();
  }

  private static InetSocketAddress address(Node node) {
    return node.config().transport().map(NetworkTransport::localAddress).orElseThrow();
  }

  private static QuicTransport transport() {
    return new QuicTransport(
        QuicTransportConfig.builder()
            .security(Security.development())
            .keepAliveInterval(Duration.ofMillis(200))
            .livenessTimeout(Duration.ofMillis(1000))
            .build());
  }
}
