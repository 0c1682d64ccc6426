package dev.runar.network.quic;

import static dev.runar.network.quic.QuicTransportTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.network.PeerConnection;
import dev.runar.security.Security;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.quic.QuicConnectionStats;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Datagram sizes: derived from the path, and never a datagram dropped for its size. */
@Timeout(60)
class DatagramSizeTest {
  private final List<TestPeer> peers = new ArrayList<>();

  private TestPeer peer(String id, QuicTransportConfig.Builder config) throws Exception {
    TestPeer p = new TestPeer(id, "test", config);
    peers.add(p);
    return p;
  }

  private static QuicTransportConfig.Builder config() {
    return QuicTransportConfig.builder().security(Security.development());
  }

  @AfterEach
  void closeAll() {
    peers.forEach(TestPeer::close);
  }

  @Test
  void theSizeIsDerivedFromTheBindAddressUnlessConfigured() throws Exception {
    assertEquals(DatagramIo.LOOPBACK_UDP_PAYLOAD, config().build().maxUdpPayloadSize());
    int largestMtu = 0;
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        largestMtu = Math.max(largestMtu, nic.getMTU());
      }
    }
    assertEquals(
        largestMtu > 0
            ? DatagramIo.payloadForMtu(largestMtu, false, true)
            : DatagramIo.ETHERNET_UDP_PAYLOAD,
        config().bindAddress(new InetSocketAddress("0.0.0.0", 0)).build().maxUdpPayloadSize());
    assertEquals(
        largestMtu > 0
            ? DatagramIo.payloadForMtu(largestMtu, false, false)
            : DatagramIo.ETHERNET_UDP_PAYLOAD,
        config()
            .bindAddress(new InetSocketAddress("0.0.0.0", 0))
            .nativeTransport(false)
            .build()
            .maxUdpPayloadSize());
    assertEquals(9000, config().maxUdpPayloadSize(9000).build().maxUdpPayloadSize());
  }

  @Test
  void anInterfacesMtuLessTheHeadersWithinQuicsBounds() {
    assertEquals(1472, DatagramIo.payloadForMtu(1500, false, true));
    assertEquals(1452, DatagramIo.payloadForMtu(1500, true, true));
    assertEquals(1392, DatagramIo.payloadForMtu(1420, false, true)); // WireGuard
    assertEquals(1422, DatagramIo.payloadForMtu(1450, false, true)); // VXLAN overlays
    assertEquals(1200, DatagramIo.payloadForMtu(576, false, true)); // QUIC needs 1,200 anyway
    assertEquals(8972, DatagramIo.payloadForMtu(9000, false, true)); // jumbo frames
    assertEquals(16_000, DatagramIo.payloadForMtu(65_536, false, true)); // loopback
    // Sockets that may fragment (NIO) stay within Ethernet's: a jumbo probe would get through in
    // fragments on a 1,500-byte path.
    assertEquals(1472, DatagramIo.payloadForMtu(9000, false, false));
    assertEquals(1422, DatagramIo.payloadForMtu(1450, false, false));
  }

  @Test
  void theNativeTransportsSocketsNeverFragment() throws Exception {
    DatagramIo io = DatagramIo.choose(true, DatagramIo.ETHERNET_UDP_PAYLOAD);
    assertTrue(io.isNative(), "Linux's native transport did not load");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io.ioHandlerFactory());
    try {
      Channel socket =
          io.bootstrap(group, new ChannelInboundHandlerAdapter())
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      assertEquals(
          DatagramIo.PMTUDISC_PROBE, socket.config().getOption(DatagramIo.IP_MTU_DISCOVER));
      socket.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void connectionsProbeUpToTheSizeAndUseLargerSizesUnprobed() throws Exception {
    // Path MTU discovery starts a connection at 1,200 bytes: 8,972 only once a probe got through.
    assertEquals(8972, pathMtu(8972));
    assertEquals(16_000, pathMtu(16_000));
    // quiche sends no probe over 16,000 bytes: such a size is used as configured.
    assertEquals(32_000, pathMtu(32_000));
  }

  /** The datagram size a connection between peers configured with {@code payload} settles on. */
  private long pathMtu(int payload) throws Exception {
    TestPeer a = peer("pmtu-a-" + payload, config().maxUdpPayloadSize(payload));
    TestPeer b = peer("pmtu-b-" + payload, config().maxUdpPayloadSize(payload));
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    await(toB.call(TestPeer.HEADER, TestPeer.payload("y".repeat(50 * 1024))));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      long pmtu = toB.channel().collectPathStats(0).get(5, TimeUnit.SECONDS).pmtu();
      if (pmtu == payload || System.nanoTime() > deadline) {
        return pmtu;
      }
      Thread.sleep(10);
    }
  }

  @Test
  void buffersAndSegmentsFollowTheSize() {
    for (int payload : new int[] {1200, 1472, 9000, 16_000, 32_000, 65_507}) {
      assertTrue(DatagramIo.segmentsPerSend(payload) * payload <= DatagramIo.MAX_UDP_PAYLOAD);
      assertTrue(DatagramIo.receiveBufferSize(payload) >= payload);
      assertEquals(0, DatagramIo.receiveBufferSize(payload) % payload);
    }
  }

  @Test
  void nodesWithDifferentSizesTalkBothWaysWithoutLoss() throws Exception {
    TestPeer large = peer("node-large", config().maxUdpPayloadSize(65_507));
    TestPeer small = peer("node-small", config().maxUdpPayloadSize(1200));
    TestPeer nio = peer("node-nio", config().maxUdpPayloadSize(32_000).nativeTransport(false));
    String big = "x".repeat(300_000);
    List<TestPeer> peers = List.of(large, small, nio);
    for (int i = 0; i < peers.size(); i++) {
      for (int j = i + 1; j < peers.size(); j++) {
        TestPeer a = peers.get(i);
        TestPeer b = peers.get(j);
        // One connection per pair, used both ways: a second dial the other way would be a
        // duplicate that one side closes.
        PeerConnection ab = await(a.transport.connect(b.address()));
        assertEquals(big, echo(ab, big), a.nodeId + " -> " + b.nodeId);
        assertEquals(big, echo(connectionFrom(b, a.nodeId), big), b.nodeId + " -> " + a.nodeId);
      }
    }
  }

  private static String echo(PeerConnection connection, String payload) throws Exception {
    return connection
        .call(TestPeer.HEADER, TestPeer.payload(payload))
        .get(20, TimeUnit.SECONDS)
        .getPayload()
        .toStringUtf8();
  }

  /** The connection {@code peer} accepted from {@code fromId}, as its handler was told of it. */
  private static PeerConnection connectionFrom(TestPeer peer, String fromId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      PeerConnection c = peer.connected.poll(100, TimeUnit.MILLISECONDS);
      if (c != null && c.peerId().equals(fromId)) {
        return c;
      }
    }
    throw new AssertionError(peer.nodeId + " was never told of a connection from " + fromId);
  }

  @Test
  void largeDatagramsCarryTheSameBytesInFewerPackets() throws Exception {
    long largePackets = packetsFor(16_000);
    long smallPackets = packetsFor(1472);
    assertTrue(
        largePackets * 3 < smallPackets,
        "16,000-byte datagrams: " + largePackets + " packets, 1,472: " + smallPackets);
  }

  /** Packets the caller sent for 20 calls of 50 KiB, with datagrams of up to {@code payload}. */
  private long packetsFor(int payload) throws Exception {
    TestPeer a = peer("a-" + payload, config().maxUdpPayloadSize(payload));
    TestPeer b = peer("b-" + payload, config().maxUdpPayloadSize(payload));
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    String body = "y".repeat(50 * 1024);
    long before = stats(toB).sent();
    for (int i = 0; i < 20; i++) {
      assertEquals(
          body,
          await(toB.call(TestPeer.HEADER, TestPeer.payload(body))).getPayload().toStringUtf8());
    }
    return stats(toB).sent() - before;
  }

  private static QuicConnectionStats stats(QuicConnection connection) throws Exception {
    return connection.channel().collectStats().get(5, TimeUnit.SECONDS);
  }
}
