package dev.runar.discovery;

/**
 * Finds other nodes of the same network and tells the node about them. Implementations: {@link
 * MulticastDiscovery} (UDP multicast on a LAN), {@link MemoryDiscovery} (nodes in one JVM, for
 * tests) and {@link StaticDiscovery} (a list of seed addresses). A discovery instance serves one
 * node.
 */
public interface NodeDiscovery extends AutoCloseable {
  /** Starts announcing {@code self} and reporting other nodes of its network to {@code listener}. */
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
