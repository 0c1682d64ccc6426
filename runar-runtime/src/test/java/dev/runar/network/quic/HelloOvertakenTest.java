package dev.runar.network.quic;

import static dev.runar.network.quic.QuicTransportTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.LossyUdpRelay;
import dev.runar.Status;
import dev.runar.network.PeerConnection;
import dev.runar.wire.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dialed node opens a connection when the dialer's Hello arrives, answers with its own, and may
 * call at once. When its first calls reach the dialer before its Hello (packets reordered, or the
 * one with the Hello lost and resent), they wait for the dialer's side to open rather than being
 * refused, and the wait counts against their time left.
 */
@Timeout(30)
class HelloOvertakenTest {
  private static final long TIMEOUT_MICROS = 5_000_000;
  private final TestPeers peers = new TestPeers();

  @AfterEach
  void closeAll() {
    peers.close();
  }

  @Test
  void aCallThatArrivesBeforeTheHelloWaitsForIt() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    List<Long> timeLeft = new CopyOnWriteArrayList<>();
    a.behaviour =
        request -> {
          timeLeft.add(request.getTimeoutMicros());
          return CompletableFuture.completedFuture(TestPeer.ok(request.getPayload()));
        };
    try (LossyUdpRelay path = new LossyUdpRelay(b.address())) {
      // node-b's Hello is lost, and resent only when QUIC's retransmission timer fires (a round
      // trip of 100 ms and more), after the calls node-b makes at once.
      path.delayBy(50);
      path.dropNextServerOneRtt();
      CompletableFuture<PeerConnection> ab = a.transport.connect(path.address());
      PeerConnection fromA = b.connected.poll(10, TimeUnit.SECONDS);
      assertNotNull(fromA, "node-b never opened node-a's connection");

      List<CompletableFuture<Response>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(fromA.call(TestPeer.HEADER, TIMEOUT_MICROS, TestPeer.payload("early " + i)));
      }
      for (int i = 0; i < calls.size(); i++) {
        Response response = await(calls.get(i));
        assertEquals(Status.Code.OK, TestPeer.status(response).code(), "call " + i);
        assertEquals("early " + i, response.getPayload().toStringUtf8());
      }
      assertEquals(1, path.droppedOneRtt(), "the path dropped nothing: the test proves nothing");
      // The first call waited for the resent Hello (a retransmission timer, over 100 ms here), and
      // its handler was told the time it had left after that wait.
      long firstTimeLeft = timeLeft.get(0);
      assertTrue(
          firstTimeLeft < TIMEOUT_MICROS - 20_000,
          "the handler was told " + firstTimeLeft + " µs of " + TIMEOUT_MICROS + " were left");
      assertEquals("node-b", await(ab).peerId());
    }
  }
}
