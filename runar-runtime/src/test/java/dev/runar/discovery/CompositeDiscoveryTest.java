package dev.runar.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merging what several mechanisms report: once per peer, one address per instance, lost by all. */
class CompositeDiscoveryTest {
  private static final PeerAnnouncement SELF = peer("self", 9000, 1, 1);

  /** A mechanism the test drives by hand. */
  private static final class Manual implements NodeDiscovery {
    Listener listener;
    final List<PeerAnnouncement> updates = new ArrayList<>();
    boolean closed;
    boolean failOnStart;

    @Override
    public void start(PeerAnnouncement self, Listener listener) throws Exception {
      if (failOnStart) {
        throw new java.io.IOException("cannot start");
      }
      this.listener = listener;
    }

    @Override
    public void update(PeerAnnouncement self) {
      updates.add(self);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** What the node hears. */
  private static final class Heard implements NodeDiscovery.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void discovered(PeerAnnouncement peer) {
      events.add(
          "+"
              + peer.nodeId()
              + "@"
              + peer.addresses().get(0).getPort()
              + "#"
              + peer.capabilityVersion());
    }

    @Override
    public void lost(String nodeId) {
      events.add("-" + nodeId);
    }
  }

  private static PeerAnnouncement peer(String id, int port, long version, long instance) {
    return new PeerAnnouncement(
        id, "net", List.of(new InetSocketAddress("127.0.0.1", port)), version, instance);
  }

  @Test
  void aPeerFoundByTwoMechanismsIsReportedOnceAtTheFirstAddressAndLostWhenBothLoseIt()
      throws Exception {
    Manual multicast = new Manual();
    Manual etcd = new Manual();
    Heard heard = new Heard();
    NodeDiscovery both = NodeDiscovery.all(multicast, etcd);
    both.start(SELF, heard);

    multicast.listener.discovered(peer("b", 7001, 1, 42));
    etcd.listener.discovered(peer("b", 8001, 1, 42)); // advertised differently: same instance
    multicast.listener.discovered(peer("b", 7001, 1, 42)); // periodic repeat
    etcd.listener.discovered(peer("b", 8001, 2, 42)); // capability change
    etcd.listener.lost("b"); // multicast still knows it at 7001
    etcd.listener.discovered(peer("b", 8001, 2, 42));
    multicast.listener.lost("b"); // etcd still knows it: its address takes over
    etcd.listener.lost("b");
    etcd.listener.lost("b"); // again: nothing

    assertEquals(List.of("+b@7001#1", "+b@7001#2", "+b@8001#2", "-b"), heard.events);
  }

  @Test
  void aRestartBringsItsOwnAddressAndSeedsPassThrough() throws Exception {
    Manual first = new Manual();
    Manual second = new Manual();
    Heard heard = new Heard();
    NodeDiscovery.all(first, second).start(SELF, heard);

    first.listener.discovered(peer("b", 7001, 3, 1));
    second.listener.discovered(peer("b", 7002, 1, 2)); // a new instance
    second.listener.discovered(
        new PeerAnnouncement("", "net", List.of(new InetSocketAddress("127.0.0.1", 7100)), 0));
    second.listener.discovered(
        new PeerAnnouncement("", "net", List.of(new InetSocketAddress("127.0.0.1", 7100)), 0));

    assertEquals(List.of("+b@7001#3", "+b@7002#1", "+@7100#0", "+@7100#0"), heard.events);
  }

  @Test
  void updatesAndCloseReachEveryMemberAndAFailedStartClosesTheStartedOnes() throws Exception {
    Manual first = new Manual();
    Manual second = new Manual();
    NodeDiscovery both = NodeDiscovery.all(first, second);
    both.start(SELF, new Heard());
    both.update(SELF.withCapabilityVersion(2));
    both.close();
    both.close();
    assertEquals(List.of(SELF.withCapabilityVersion(2)), first.updates);
    assertEquals(first.updates, second.updates);
    assertTrue(first.closed && second.closed);

    Manual ok = new Manual();
    Manual failing = new Manual();
    failing.failOnStart = true;
    NodeDiscovery broken = NodeDiscovery.all(ok, failing);
    assertThrows(java.io.IOException.class, () -> broken.start(SELF, new Heard()));
    assertTrue(ok.closed);
  }

  @Test
  void rejectsTheSameInstanceTwice() {
    Manual one = new Manual();
    assertThrows(IllegalArgumentException.class, () -> NodeDiscovery.all(one, one));
  }
}
