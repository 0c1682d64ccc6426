package dev.runar.discovery;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds other nodes of the same network and tells the node about them. Implementations: {@link
 * MulticastDiscovery} (UDP multicast on a LAN), {@link MemoryDiscovery} (nodes in one JVM, for
 * tests) and {@link StaticDiscovery} (a list of seed addresses); other modules add more (etcd).
 * {@link #all} combines several. A discovery instance serves one node.
 */
public interface NodeDiscovery extends AutoCloseable {
  /**
   * Several mechanisms at once (multicast on the LAN plus a registry across it, say): each peer is
   * reported to the node once, and lost once all of them lost it. See {@link CompositeDiscovery}.
   */
  static NodeDiscovery all(NodeDiscovery first, NodeDiscovery... more) {
    List<NodeDiscovery> members = new ArrayList<>();
    members.add(first);
    members.addAll(List.of(more));
    return CompositeDiscovery.of(members);
  }

  /**
   * Starts announcing {@code self} and reporting other nodes of its network to {@code listener}.
   */
  void start(PeerAnnouncement self, Listener listener) throws Exception;

  /** {@code self} changed (a new capability version): announce it now. */
  void update(PeerAnnouncement self);

  /** Says goodbye and stops. Idempotent. */
  @Override
  void close();

  /** Hears about other nodes. Called from discovery's own threads: return quickly. */
  interface Listener {
    /** A node was seen for the first time, or announced a change. */
    void discovered(PeerAnnouncement peer);

    /** A node said goodbye or fell silent for longer than its time to live. */
    void lost(String nodeId);
  }
}
