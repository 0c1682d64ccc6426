package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.Status;
import dev.runar.network.PeerConnection;
import dev.runar.security.DevelopmentCa;
import dev.runar.security.NodeCredentials;
import dev.runar.security.Security;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network-CA mode: mutual TLS, and the node id bound to the certificate. */
class QuicSecurityTest {
  private static DevelopmentCa ca;
  private static DevelopmentCa otherCa;
  private final List<TestPeer> peers = new ArrayList<>();

  @BeforeAll
  static void certificates() {
    // Made once per class: generating certificates costs hundreds of milliseconds.
    ca = DevelopmentCa.create("test");
    otherCa = DevelopmentCa.create("intruders");
  }

  @AfterEach
  void closeAll() {
    peers.forEach(TestPeer::close);
  }

  private TestPeer peer(String id, NodeCredentials credentials) throws Exception {
    TestPeer p = new TestPeer(id, Security.networkCa(credentials));
    peers.add(p);
    return p;
  }

  private static Status failure(java.util.concurrent.CompletableFuture<?> f) {
    return Status.fromThrowable(
        assertThrows(ExecutionException.class, () -> f.get(15, TimeUnit.SECONDS)));
  }

  @Test
  void nodesOfOneCaConnectAndCall() throws Exception {
    TestPeer a = peer("node-a", ca.issue("node-a"));
    TestPeer b = peer("node-b", ca.issue("node-b"));
    PeerConnection toB = a.transport.connect(b.address()).get(15, TimeUnit.SECONDS);
    assertEquals("node-b", toB.peerId());
    assertEquals(
        "mtls",
        toB.call(TestPeer.HEADER, TestPeer.payload("mtls"))
            .get(10, TimeUnit.SECONDS)
            .getPayload()
            .toStringUtf8());
  }

  @Test
  void aNodeOfAnotherCaIsRefusedBothWays() throws Exception {
    TestPeer a = peer("node-a", ca.issue("node-a"));
    TestPeer intruder = peer("node-x", otherCa.issue("node-x"));
    assertTrue(isRefusal(failure(a.transport.connect(intruder.address()))));
    assertTrue(isRefusal(failure(intruder.transport.connect(a.address()))));
    // a is unharmed.
    TestPeer b = peer("node-b", ca.issue("node-b"));
    assertEquals(
        "ok",
        b.transport
            .connect(a.address())
            .get(15, TimeUnit.SECONDS)
            .call(TestPeer.HEADER, TestPeer.payload("ok"))
            .get(10, TimeUnit.SECONDS)
            .getPayload()
            .toStringUtf8());
  }

  @Test
  void aNodeClaimingAnotherIdIsRefused() throws Exception {
    TestPeer a = peer("node-a", ca.issue("node-a"));
    // A valid certificate of this CA, but for node-m, used by a node claiming to be node-b.
    TestPeer impostor = peer("node-b", ca.issue("node-m"));
    Status dialed = failure(impostor.transport.connect(a.address()));
    assertEquals(Status.Code.UNAUTHENTICATED, dialed.code(), dialed.toString());
    assertTrue(dialed.description().contains("node-m"), dialed.description());
    Status dialing = failure(a.transport.connect(impostor.address()));
    assertEquals(Status.Code.UNAUTHENTICATED, dialing.code(), dialing.toString());
    assertTrue(a.transport.connections().isEmpty());
  }

  @Test
  void credentialsLoadFromPemFiles(@TempDir Path dir) throws Exception {
    ca.writePem("node-p", dir);
    NodeCredentials loaded =
        NodeCredentials.fromPem(
            dir.resolve("node-p.crt"), dir.resolve("node-p.key"), dir.resolve("ca.crt"));
    assertEquals("node-p", loaded.nodeId());
    TestPeer p = peer("node-p", loaded);
    TestPeer b = peer("node-b", ca.issue("node-b"));
    assertEquals("node-p", b.transport.connect(p.address()).get(15, TimeUnit.SECONDS).peerId());
  }

  /** A refused TLS handshake surfaces as UNAVAILABLE (cannot connect) or UNAUTHENTICATED. */
  private static boolean isRefusal(Status s) {
    return s.code() == Status.Code.UNAVAILABLE || s.code() == Status.Code.UNAUTHENTICATED;
  }
}
