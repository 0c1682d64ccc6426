package dev.runar.network.quic;

import static dev.runar.network.quic.QuicTransportTest.await;
import static dev.runar.network.quic.QuicTransportTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.LossyUdpRelay;
import dev.runar.Status;
import dev.runar.network.PeerConnection;
import dev.runar.network.WireStatus;
import dev.runar.security.Security;
import dev.runar.wire.Response;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes that dial each other at once keep one connection between them, and never end with none,
 * even when one side gives up on its connection after the other opened it.
 *
 * <p>The path from node-b back to node-a loses everything after QUIC's handshake ({@link
 * LossyUdpRelay#dropServerOneRtt}): node-a's dial completes the handshake and sends its Hello;
 * node-b opens the connection and answers, but the answer never arrives, so node-a gives up on it.
 * Meanwhile node-b dialed node-a directly. The connection node-a dialed would survive (node-a has
 * the smaller id) had it opened on node-a's side; since it did not, both must settle on node-b's.
 */
@Timeout(60)
class DuplicateConnectionsTest {
  private final TestPeers peers = new TestPeers();

  @AfterEach
  void closeAll() {
    peers.close();
  }

  @Test
  void aConnectionItsDialerGaveUpOnLeavesBothOnTheOther() throws Exception {
    TestPeer a =
        peers.start(
            "node-a",
            QuicTransportConfig.builder()
                .security(Security.development())
                .keepAliveInterval(Duration.ofMillis(100))
                .livenessTimeout(Duration.ofMillis(600)));
    TestPeer b = peers.start("node-b");
    try (LossyUdpRelay path = new LossyUdpRelay(b.address())) {
      path.dropServerOneRtt(true);
      CompletableFuture<PeerConnection> ab =
          a.transport.connect(path.address(), Duration.ofSeconds(1));

      // node-b opened node-a's connection (node-a's Hello arrived) and calls on it.
      PeerConnection fromA = b.connected.poll(10, TimeUnit.SECONDS);
      assertNotNull(fromA, "node-b never opened node-a's connection");
      assertFalse(fromA.isDialer());
      CompletableFuture<Response> onTheLostOne =
          fromA.call(TestPeer.HEADER, TestPeer.payload("lost"));

      PeerConnection toA = await(b.transport.connect(a.address()));
      Status gaveUp = failure(ab);
      assertEquals(Status.Code.UNAVAILABLE, gaveUp.code(), gaveUp.toString());
      assertTrue(path.droppedOneRtt() > 0, "the path dropped nothing: the test proves nothing");

      // node-a never opened it, so it ran nothing sent on it: the call may go elsewhere.
      Status lost = failure(onTheLostOne);
      assertTrue(WireStatus.isNotStarted(lost), "not marked unstarted: " + lost);

      // Both keep the connection node-b dialed, and node-b never lost node-a meanwhile.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!settledOn(a.transport.connections(), false)
          || !settledOn(b.transport.connections(), true)) {
        assertTrue(
            System.nanoTime() < end,
            "did not settle on node-b's connection: "
                + a.transport.connections()
                + " / "
                + b.transport.connections());
        Thread.sleep(10);
      }
      assertTrue(b.disconnected.isEmpty(), "node-b lost node-a: " + b.disconnected);
      assertEquals(
          "to a",
          await(toA.call(TestPeer.HEADER, TestPeer.payload("to a"))).getPayload().toStringUtf8());
      PeerConnection toB = a.transport.connections().iterator().next();
      assertEquals(
          "to b",
          await(toB.call(TestPeer.HEADER, TestPeer.payload("to b"))).getPayload().toStringUtf8());
    }
  }

  private static boolean settledOn(Collection<PeerConnection> connections, boolean dialer) {
    return connections.size() == 1
        && connections.iterator().next().isDialer() == dialer
        && connections.iterator().next().isOpen();
  }
}
