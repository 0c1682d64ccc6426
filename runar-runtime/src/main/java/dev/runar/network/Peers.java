package dev.runar.network;

import com.google.common.collect.ImmutableList;
import dev.runar.wire.NodeInfo;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node knows of its peers, read-only: each peer's state (discovered, connecting, connected,
 * disconnected), addresses and node info, and listeners for changes. Only the node changes it.
 *
 * <p>Thread-safe. Listeners run on the thread that made the change, in the order changes happen:
 * they must be quick and must not block.
 */
public interface Peers {
  /** Where a peer stands. */
  public enum PeerState {
    DISCOVERED,
    CONNECTING,
    CONNECTED,
    DISCONNECTED
  }

  /**
   * A snapshot of one peer.
   *
   * @param info its node info once connected (else null)
   * @param capabilityVersion the newest capability version heard of, from discovery or the peer
   */
  public record Peer(
      String nodeId,
      PeerState state,
      ImmutableList<InetSocketAddress> addresses,
      NodeInfo info,
      long capabilityVersion) {
    public Peer {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(addresses, "addresses");
    }
  }

  /** Hears about peer changes. */
  @FunctionalInterface
  public interface Listener {
    /**
     * {@code previous} is null for a new peer; {@code current} is null for one that was removed.
     */
    void onPeerChanged(Peer previous, Peer current);
  }

  /** The peer with {@code nodeId}, if known. */
  Optional<Peer> get(String nodeId);

  /** Every known peer, in the order they became known. */
  ImmutableList<Peer> all();

  void addListener(Listener listener);

  void removeListener(Listener listener);
}
