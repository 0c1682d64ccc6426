package dev.runar.network;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/**
 * What a node knows of its peers, read-only: each peer's state (discovered, connecting, connected,
 * disconnected), addresses and node info, and listeners for changes. Only the node changes it.
 *
 * <p>Thread-safe. Listeners run on the thread that made the change, in the order changes happen:
 * they must be quick and must not block.
 */
public interface Peers {
  /** The peer with {@code nodeId}, if known. */
  Optional<PeerRegistry.Peer> get(String nodeId);

  /** Every known peer, in the order they became known. */
  ImmutableList<PeerRegistry.Peer> all();

  void addListener(PeerRegistry.Listener listener);

  void removeListener(PeerRegistry.Listener listener);
}
