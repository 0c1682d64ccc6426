package dev.runar.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.wire.Announce;
import dev.runar.wire.DiscoveryPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UDP multicast on the loopback interface, a unique group and port per test. */
class MulticastDiscoveryTest {
  private final String group =
      "239.255."
          + ThreadLocalRandom.current().nextInt(1, 255)
          + "."
          + ThreadLocalRandom.current().nextInt(1, 255);
  private final int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
  private final List<MulticastDiscovery> started = new ArrayList<>();

  private static final class Recorder implements NodeDiscovery.Listener {
    final BlockingQueue<PeerAnnouncement> discovered = new LinkedBlockingQueue<>();
    final BlockingQueue<String> lost = new LinkedBlockingQueue<>();

    @Override
    public void discovered(PeerAnnouncement peer) {
      discovered.add(peer);
    }

    @Override
    public void lost(String nodeId) {
      lost.add(nodeId);
    }
  }

  private MulticastDiscovery.Config.Builder config() {
    return MulticastDiscovery.Config.builder()
        .group(group)
        .port(port)
        .announceInterval(Duration.ofMillis(100))
        .timeToLive(Duration.ofMillis(600));
  }

  private static PeerAnnouncement self(String id, String network, int quicPort) {
    return new PeerAnnouncement(
        id, network, List.of(new InetSocketAddress("127.0.0.1", quicPort)), 1);
  }

  private MulticastDiscovery start(String id, String network, Recorder recorder) throws Exception {
    MulticastDiscovery d = MulticastDiscovery.create(config().build());
    d.start(self(id, network, 7000 + started.size()), recorder);
    started.add(d);
    return d;
  }

  @AfterEach
  void close() {
    started.forEach(MulticastDiscovery::close);
  }

  private static PeerAnnouncement next(BlockingQueue<PeerAnnouncement> q, String id)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      PeerAnnouncement p = q.poll(100, TimeUnit.MILLISECONDS);
      if (p != null && p.nodeId().equals(id)) {
        return p;
      }
    }
    throw new AssertionError("never discovered " + id);
  }

  @Test
  void nodesDiscoverEachOtherUpdateAndSayGoodbye() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    start("a", "net", ra);
    MulticastDiscovery b = start("b", "net", rb);
    PeerAnnouncement seenB = next(ra.discovered, "b");
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", 7001)), seenB.addresses());
    assertEquals("a", next(rb.discovered, "a").nodeId());
    b.update(self("b", "net", 7001).withCapabilityVersion(9));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (next(ra.discovered, "b").capabilityVersion() != 9) {
      assertTrue(System.nanoTime() < end);
    }
    b.close();
    assertEquals("b", ra.lost.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void aSilentNodeIsLostAfterItsTimeToLive() throws Exception {
    Recorder ra = new Recorder();
    start("a", "net", ra);
    send(
        DiscoveryPacket.newBuilder()
            .setAnnounce(
                Announce.newBuilder()
                    .setNodeId("ghost")
                    .setNetworkId("net")
                    .addAddresses("127.0.0.1:9"))
            .build()
            .toByteArray(),
        true);
    assertEquals("ghost", next(ra.discovered, "ghost").nodeId());
    long t0 = System.nanoTime();
    assertEquals("ghost", ra.lost.poll(10, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300), "lost too early");
  }

  @Test
  void otherNetworksAreIgnoredAndGarbageIsDroppedAndCounted() throws Exception {
    Recorder ra = new Recorder();
    MulticastDiscovery a = start("a", "net", ra);
    start("x", "other-net", new Recorder());
    send(new byte[] {1, 2, 3}, false); // no magic
    send(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00}, true); // magic, then garbage
    send(new byte[3000], true); // oversized
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (a.droppedPackets() < 3 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertEquals(3, a.droppedPackets());
    // Still alive: a newcomer of its network is discovered; the other network's node never was.
    start("b", "net", new Recorder());
    next(ra.discovered, "b");
    assertTrue(ra.discovered.stream().noneMatch(p -> p.nodeId().equals("x")));
  }

  private void send(byte[] body, boolean withMagic) throws Exception {
    NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
    try (DatagramChannel ch =
        DatagramChannel.open(StandardProtocolFamily.INET)
            .setOption(StandardSocketOptions.IP_MULTICAST_IF, lo)) {
      ByteBuffer buffer = ByteBuffer.allocate(body.length + 4);
      if (withMagic) {
        buffer.put(DiscoveryDatagrams.MAGIC);
      }
      buffer.put(body).flip();
      ch.send(buffer, new InetSocketAddress(group, port));
    }
  }
}
