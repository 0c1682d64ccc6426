package dev.runar.discovery;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Several discovery mechanisms at once for one node, for instance multicast on the LAN plus a
 * registry across LANs: {@code NodeDiscovery.all(MulticastDiscovery.create(), etcd)}. Every
 * mechanism announces the node; what they find is merged per node id, so the node hears of each
 * peer once:
 *
 * <ul>
 *   <li>A peer's addresses are those of the first announcement of its instance, whichever mechanism
 *       made it; later announcements of the same instance (from any mechanism) only update its
 *       capability version. So a peer announced with different addresses by two mechanisms is still
 *       dialed at one address, once. A new instance (a restart) brings its own addresses, and so
 *       does another mechanism once the one whose addresses were used has lost the peer. Mechanisms
 *       should therefore announce addresses that peers can dial.
 *   <li>Repeated announcements that change nothing are not passed on.
 *   <li>A peer is lost only once every mechanism that reported it has lost it.
 *   <li>Announcements without a node id (static seeds) are passed on as they are.
 * </ul>
 *
 * <p>Threading: the mechanisms call in from their own threads; merging and the calls to the node's
 * listener happen under this object's lock, so the listener sees one ordered stream.
 */
public final class CompositeDiscovery implements NodeDiscovery {
  private final ImmutableList<NodeDiscovery> members;

  /** Per peer node id: what each member (by index) last reported, and what was passed on. */
  private final Map<String, Peer> peers = new HashMap<>();

  private final List<NodeDiscovery> started = new ArrayList<>();
  private boolean startCalled;
  private Listener listener = IGNORE;

  /** The listener before start: nothing reports to it. */
  private static final Listener IGNORE =
      new Listener() {
        @Override
        public void discovered(PeerAnnouncement peer) {}

        @Override
        public void lost(String nodeId) {}
      };

  private static final class Peer {
    final Map<Integer, PeerAnnouncement> bySource = new HashMap<>();
    Optional<PeerAnnouncement> forwarded = Optional.empty();

    /** The member whose announcement gave {@link #forwarded} its addresses. */
    int addressSource;
  }

  private CompositeDiscovery(List<NodeDiscovery> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("no discovery to combine");
    }
    members.forEach(m -> Objects.requireNonNull(m, "discovery"));
    if (members.stream().distinct().count() != members.size()) {
      throw new IllegalArgumentException("the same discovery instance twice");
    }
    this.members = ImmutableList.copyOf(members);
  }

  /** Combines {@code members}: at least one, each a distinct instance serving only this node. */
  public static CompositeDiscovery of(List<NodeDiscovery> members) {
    return new CompositeDiscovery(members);
  }

  /** The combined mechanisms, in the order they start. */
  public List<NodeDiscovery> members() {
    return members;
  }

  /**
   * Starts every member in order. If one fails, those already started are closed and the failure is
   * thrown.
   */
  @Override
  public void start(PeerAnnouncement self, Listener listener) throws Exception {
    synchronized (this) {
      if (startCalled) {
        throw new IllegalStateException("already started");
      }
      startCalled = true;
      this.listener = Objects.requireNonNull(listener, "listener");
    }
    for (int i = 0; i < members.size(); i++) {
      NodeDiscovery member = members.get(i);
      try {
        member.start(self, new SourceListener(i));
      } catch (Exception e) {
        close();
        throw e;
      }
      synchronized (this) {
        started.add(member);
      }
    }
  }

  @Override
  public void update(PeerAnnouncement self) {
    startedMembers().forEach(m -> m.update(self));
  }

  /** Closes every started member (each says goodbye its own way). Idempotent. */
  @Override
  public void close() {
    List<NodeDiscovery> toClose;
    synchronized (this) {
      toClose = List.copyOf(started);
      started.clear();
      peers.clear();
    }
    for (NodeDiscovery member : toClose) {
      member.close();
    }
  }

  private synchronized List<NodeDiscovery> startedMembers() {
    return List.copyOf(started);
  }

  private synchronized void discovered(int source, PeerAnnouncement peer) {
    if (peer.nodeId().isEmpty()) {
      listener.discovered(peer);
      return;
    }
    Peer known = peers.computeIfAbsent(peer.nodeId(), id -> new Peer());
    known.bySource.put(source, peer);
    forward(known, source, peer);
  }

  private void forward(Peer known, int source, PeerAnnouncement latest) {
    PeerAnnouncement merged;
    if (known.forwarded.isEmpty() || known.forwarded.get().instanceId() != latest.instanceId()) {
      merged = latest;
      known.addressSource = source;
    } else {
      merged = merge(known.forwarded.get(), latest);
    }
    pass(known, merged);
  }

  private void pass(Peer known, PeerAnnouncement merged) {
    if (!known.forwarded.equals(Optional.of(merged))) {
      known.forwarded = Optional.of(merged);
      listener.discovered(merged);
    }
  }

  /**
   * The same instance announced again: keeps the addresses, takes the newest capability version.
   */
  private static PeerAnnouncement merge(PeerAnnouncement forwarded, PeerAnnouncement latest) {
    return new PeerAnnouncement(
        latest.nodeId(),
        latest.networkId(),
        forwarded.addresses(),
        Math.max(forwarded.capabilityVersion(), latest.capabilityVersion()),
        latest.instanceId());
  }

  private synchronized void lost(int source, String nodeId) {
    Peer known = peers.get(nodeId);
    if (known == null || known.bySource.remove(source) == null) {
      return;
    }
    if (known.bySource.isEmpty()) {
      peers.remove(nodeId);
      listener.lost(nodeId);
    } else if (known.addressSource == source) {
      // Another member still knows the peer: its addresses take over.
      Map.Entry<Integer, PeerAnnouncement> next = known.bySource.entrySet().iterator().next();
      PeerAnnouncement other = next.getValue();
      PeerAnnouncement before = known.forwarded.orElseThrow();
      known.addressSource = next.getKey();
      pass(
          known,
          other.instanceId() == before.instanceId()
              ? other.withCapabilityVersion(
                  Math.max(other.capabilityVersion(), before.capabilityVersion()))
              : other);
    }
  }

  @Override
  public String toString() {
    return "CompositeDiscovery" + members;
  }

  /** Tags what one member reports with its index. */
  private final class SourceListener implements Listener {
    private final int source;

    SourceListener(int source) {
      this.source = source;
    }

    @Override
    public void discovered(PeerAnnouncement peer) {
      CompositeDiscovery.this.discovered(source, peer);
    }

    @Override
    public void lost(String nodeId) {
      CompositeDiscovery.this.lost(source, nodeId);
    }
  }
}
