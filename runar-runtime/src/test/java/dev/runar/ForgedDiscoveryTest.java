package dev.runar;

import static dev.runar.TestServices.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.discovery.MulticastDiscovery;
import dev.runar.network.Peers.PeerState;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.DevelopmentCa;
import dev.runar.security.Security;
import dev.runar.wire.Announce;
import dev.runar.wire.DiscoveryPacket;
import dev.runar.wire.Leave;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Forged multicast datagrams (anyone on the LAN can send them; discovery is not authenticated):
 * they may make a node dial, never close, redirect or stall anything, and a ghost announcement
 * cannot turn nodes into a traffic amplifier. Real multicast on the loopback interface, a unique
 * group and port per test.
 */
@Timeout(60)
class ForgedDiscoveryTest {
  private static DevelopmentCa ca;

  private final String network = "forged-" + UUID.randomUUID().toString().substring(0, 8);
  private final String group =
      "239.255."
          + ThreadLocalRandom.current().nextInt(1, 255)
          + "."
          + ThreadLocalRandom.current().nextInt(1, 255);
  private final int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
  private final List<Node> nodes = new ArrayList<>();

  @BeforeAll
  static void certificates() {
    ca = DevelopmentCa.create("forged");
  }

  @AfterEach
  void stopAll() {
    nodes.forEach(Node::stop);
  }

  private Node start(String id) {
    Node node =
        Node.create(
            NodeConfig.builder()
                .nodeId(id)
                .networkId(network)
                .transport(
                    new QuicTransport(
                        QuicTransportConfig.builder()
                            .security(Security.networkCa(ca.issue(id)))
                            .build()))
                .discovery(
                    MulticastDiscovery.create(
                        MulticastDiscovery.Config.builder()
                            .group(group)
                            .port(port)
                            .announceInterval(Duration.ofMillis(500))
                            .build()))
                .build());
    nodes.add(node);
    return node.start();
  }

  /** Sends discovery datagrams to the test's group, as anyone on the LAN could. */
  private final class Forger implements AutoCloseable {
    private final MulticastSocket socket;

    Forger() throws IOException {
      socket = new MulticastSocket(0);
      socket.setNetworkInterface(
          NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()));
    }

    int send(DiscoveryPacket packet) throws IOException {
      byte[] body = packet.toByteArray();
      byte[] datagram = new byte[4 + body.length];
      System.arraycopy("RNR1".getBytes(StandardCharsets.US_ASCII), 0, datagram, 0, 4);
      System.arraycopy(body, 0, datagram, 4, body.length);
      socket.send(
          new DatagramPacket(datagram, datagram.length, new InetSocketAddress(group, port)));
      return datagram.length;
    }

    int announce(String nodeId, String address, long instance) throws IOException {
      return send(
          DiscoveryPacket.newBuilder()
              .setAnnounce(
                  Announce.newBuilder()
                      .setNodeId(nodeId)
                      .setNetworkId(network)
                      .addAddresses(address)
                      .setCapabilityVersion(99)
                      .setInstanceId(instance))
              .build());
    }

    void leave(String nodeId) throws IOException {
      send(
          DiscoveryPacket.newBuilder()
              .setLeave(Leave.newBuilder().setNodeId(nodeId).setNetworkId(network))
              .build());
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  @Test
  void forgedLeavesAndAnnouncementsForAConnectedPeerFailNoCall() throws Exception {
    Node server = start("server");
    server.addService(TestServices.echo("work"));
    Node client = start("client");
    eventually(
        () ->
            client.peers().get("server").map(p -> p.state() == PeerState.CONNECTED).orElse(false));
    eventually(
        () ->
            client
                .request("work/echo", TestServices.str("up"))
                .handle((r, e) -> e == null)
                .get(5, TimeUnit.SECONDS));

    try (Forger forger = new Forger();
        DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        CallLoad load = new CallLoad(client, "work/echo", 64, Duration.ofSeconds(2)).start()) {
      String attackerAddress = "127.0.0.1:" + attacker.getLocalPort();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      long instance = 1;
      while (System.nanoTime() < end) {
        forger.leave("server");
        forger.announce("server", attackerAddress, instance++); // "restarted, now over there"
        forger.leave("client");
        Thread.sleep(50);
      }
      assertTrue(load.stop(Duration.ofSeconds(1)), () -> "calls hung: " + load);
      assertEquals(0, load.failures(), () -> "calls failed under forged discovery: " + load);
      assertTrue(load.successes() > 100, load::toString);
    }
    assertEquals(PeerState.CONNECTED, client.peers().get("server").orElseThrow().state());
    assertEquals(
        List.of(
            new InetSocketAddress(
                "127.0.0.1", server.config().transport().orElseThrow().localAddress().getPort())),
        client.peers().get("server").orElseThrow().addresses(),
        "a forged announcement rewrote a connected peer's address");
  }

  @Test
  void aGhostAnnouncementDrawsAtMostTwoShortDialsTowardItsAddress() throws Exception {
    start("listener-1");
    start("listener-2");
    try (Forger forger = new Forger();
        DatagramSocket victim = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      victim.setSoTimeout(100);
      AtomicLong received = new AtomicLong();
      Thread counter =
          new Thread(
              () -> {
                byte[] buffer = new byte[65_536];
                while (!victim.isClosed()) {
                  DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                  try {
                    victim.receive(packet);
                    received.addAndGet(packet.getLength());
                  } catch (SocketTimeoutException e) {
                    // keep listening
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      counter.setDaemon(true);
      counter.start();

      int announceBytes = forger.announce("ghost", "127.0.0.1:" + victim.getLocalPort(), 7);
      Thread.sleep(2_000);
      long afterOne = received.get();
      // The same ghost, announced again and again: no more than a second short attempt.
      for (int i = 0; i < 40; i++) {
        forger.announce("ghost", "127.0.0.1:" + victim.getLocalPort(), 7);
        Thread.sleep(200);
      }
      long afterMany = received.get();
      victim.close();
      double factor = (double) afterOne / announceBytes / 2; // two nodes heard it
      System.out.printf(
          "ghost announce: %d B announce, %d B toward the victim after 2 s (x%.0f per node), %d B after 40 more"
              + " announcements over 8 s%n",
          announceBytes, afterOne, factor, afterMany);
      assertTrue(afterOne > 0, "no node dialed the announced address: the test proves nothing");
      // One short attempt per node: its Initial datagram(s) and at most one close, 1,252 B each.
      assertTrue(afterOne <= 2 * 3 * 1_252, "bytes after one announcement: " + afterOne);
      // Announced 41 times in 10 s: each node made at most its second attempt (after 5 s).
      assertTrue(afterMany <= 2 * 2 * 3 * 1_252, "bytes after 41 announcements: " + afterMany);
    }
  }

  @Test
  void unresolvableHostsInAnnouncementsDoNotDelayARealPeer() throws Exception {
    Node first = start("first");
    try (Forger forger = new Forger()) {
      for (int i = 0; i < 150; i++) {
        forger.announce("bogus-" + i, "no-such-host-" + i + ".invalid:4433", i + 1);
      }
    }
    long started = System.nanoTime();
    start("second");
    eventually(
        () -> first.peers().get("second").map(p -> p.state() == PeerState.CONNECTED).orElse(false));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.printf(
        "a real peer was connected %d ms after it started, behind 150 unresolvable announcements%n",
        millis);
    assertTrue(millis <= 2_000, "found after " + millis + " ms");
  }
}
