package dev.runar.discovery.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.discovery.MulticastDiscovery;
import dev.runar.discovery.NodeDiscovery;
import dev.runar.discovery.PeerAnnouncement;
import dev.runar.network.InboundHandler;
import dev.runar.network.MessageLimit;
import dev.runar.network.NetworkTransport;
import dev.runar.network.PeerConnection;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import dev.runar.wire.NodeInfo;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Multicast and etcd at once ({@code NodeDiscovery.all}): both mechanisms find the peer, and each
 * node dials the other once. (That a peer announced at different addresses by the two is still
 * dialed at one address is {@code CompositeDiscoveryTest}'s.)
 */
class MulticastAndEtcdTest {
  private final String network = "both-" + UUID.randomUUID().toString().substring(0, 8);
  private final String group =
      "239.255."
          + ThreadLocalRandom.current().nextInt(1, 255)
          + "."
          + ThreadLocalRandom.current().nextInt(1, 255);
  private final int multicastPort = ThreadLocalRandom.current().nextInt(20_000, 60_000);
  private final List<Node> nodes = new ArrayList<>();
  private EtcdServer etcd;

  /** A discovery that records the peers its delegate reports. */
  private static final class Spy implements NodeDiscovery {
    final NodeDiscovery delegate;
    final List<String> found = new CopyOnWriteArrayList<>();

    Spy(NodeDiscovery delegate) {
      this.delegate = delegate;
    }

    @Override
    public void start(PeerAnnouncement self, Listener listener) throws Exception {
      delegate.start(
          self,
          new Listener() {
            @Override
            public void discovered(PeerAnnouncement peer) {
              found.add(peer.nodeId());
              listener.discovered(peer);
            }

            @Override
            public void lost(String nodeId) {
              listener.lost(nodeId);
            }
          });
    }

    @Override
    public void update(PeerAnnouncement self) {
      delegate.update(self);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** A transport that records every address it is asked to dial. */
  private static final class CountingTransport implements NetworkTransport {
    final NetworkTransport delegate;
    final List<InetSocketAddress> dialed = new CopyOnWriteArrayList<>();

    CountingTransport(NetworkTransport delegate) {
      this.delegate = delegate;
    }

    @Override
    public void start(InboundHandler handler, Executor callbacks) throws Exception {
      delegate.start(handler, callbacks);
    }

    @Override
    public InetSocketAddress localAddress() {
      return delegate.localAddress();
    }

    @Override
    public CompletableFuture<PeerConnection> connect(InetSocketAddress address) {
      dialed.add(address);
      return delegate.connect(address);
    }

    @Override
    public CompletableFuture<PeerConnection> connect(InetSocketAddress address, Duration timeout) {
      dialed.add(address);
      return delegate.connect(address, timeout);
    }

    @Override
    public MessageLimit limit() {
      return delegate.limit();
    }

    @Override
    public Collection<PeerConnection> connections() {
      return delegate.connections();
    }

    @Override
    public void updateLocalInfo(NodeInfo info) {
      delegate.updateLocalInfo(info);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  @AfterEach
  void cleanUp() {
    nodes.forEach(Node::stop);
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  @Timeout(30)
  void aPeerFoundByBothIsDialedOnce() throws Exception {
    etcd = EtcdServer.start();
    CountingTransport alphaTransport = transport();
    CountingTransport betaTransport = transport();
    Spy alphaMulticast = multicast();
    Spy alphaEtcd = etcd();
    Node alpha = start("alpha", alphaTransport, alphaMulticast, alphaEtcd);
    Node beta = start("beta", betaTransport, multicast(), etcd());
    Waits.until(
        Duration.ofSeconds(10),
        "connected",
        () -> ProbeNodes.connected(alpha, "beta") && ProbeNodes.connected(beta, "alpha"));
    Thread.sleep(1_500); // several multicast announcements (every 250 ms) and etcd refreshes
    assertEquals("beta", ProbeNodes.who(alpha, "beta", Duration.ofSeconds(2)));
    assertTrue(alphaMulticast.found.contains("beta"), "multicast did not find beta");
    assertTrue(alphaEtcd.found.contains("beta"), "etcd did not find beta");
    assertEquals(1, alphaTransport.dialed.size(), () -> "alpha dialed " + alphaTransport.dialed);
    // beta's id sorts after alpha's: the node's dialer leaves the dial to alpha and dials only if
    // no connection came within its stagger, so beta dials at most once (usually not at all).
    assertTrue(betaTransport.dialed.size() <= 1, () -> "beta dialed " + betaTransport.dialed);
  }

  private static CountingTransport transport() {
    return new CountingTransport(
        new QuicTransport(
            QuicTransportConfig.builder()
                .security(Security.development())
                .bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .build()));
  }

  private Spy multicast() {
    return new Spy(
        MulticastDiscovery.create(
            MulticastDiscovery.Config.builder()
                .group(group)
                .port(multicastPort)
                .announceInterval(Duration.ofMillis(250))
                .build()));
  }

  private Spy etcd() {
    return new Spy(
        EtcdDiscovery.create(
            EtcdDiscoveryConfig.builder().endpoints(etcd.clientUrl().toString()).build()));
  }

  private Node start(
      String id, NetworkTransport transport, NodeDiscovery multicast, NodeDiscovery etcdDiscovery) {
    Node node =
        Node.create(
            NodeConfig.builder()
                .nodeId(id)
                .networkId(network)
                .transport(transport)
                .discovery(NodeDiscovery.all(multicast, etcdDiscovery))
                .build());
    node.addService(ProbeNodes.service(id));
    nodes.add(node);
    return node.start();
  }
}
