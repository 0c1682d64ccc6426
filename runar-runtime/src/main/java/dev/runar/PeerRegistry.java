package dev.runar;

import com.google.common.collect.ImmutableList;
import dev.runar.network.Peers;
import dev.runar.network.Peers.Listener;
import dev.runar.network.Peers.Peer;
import dev.runar.network.Peers.PeerState;
import dev.runar.wire.NodeInfo;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers a node knows of and where each stands: discovered, connecting, connected (with its node
 * info and capability version) or disconnected. Thread-safe. Listeners hear every change, in the
 * order changes happen, on the thread that made the change: they must be quick and must not block.
 *
 * <p>The node's networking changes it; users see it through the read-only {@link Peers} that {@link
 * Node#peers()} returns.
 */
final class PeerRegistry implements Peers {
  private static final Logger log = LoggerFactory.getLogger(PeerRegistry.class);

  private final Map<String, Peer> peers = new LinkedHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  @Override
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  /**
   * Records that discovery saw {@code nodeId} at {@code addresses}. A new peer starts DISCOVERED; a
   * known one keeps its state and takes the new addresses and a newer capability version.
   */
  synchronized Peer discovered(
      String nodeId, List<InetSocketAddress> addresses, long capabilityVersion) {
    Peer previous = peers.get(nodeId);
    Peer current =
        previous == null
            ? new Peer(
                nodeId,
                PeerState.DISCOVERED,
                ImmutableList.copyOf(addresses),
                null,
                capabilityVersion)
            : new Peer(
                nodeId,
                previous.state() == PeerState.DISCONNECTED
                    ? PeerState.DISCOVERED
                    : previous.state(),
                ImmutableList.copyOf(addresses),
                previous.info(),
                Math.max(previous.capabilityVersion(), capabilityVersion));
    return put(previous, current);
  }

  /**
   * Marks a known peer CONNECTING; returns false when it is unknown or already
   * connecting/connected.
   */
  synchronized boolean connecting(String nodeId) {
    Peer previous = peers.get(nodeId);
    if (previous == null
        || previous.state() == PeerState.CONNECTING
        || previous.state() == PeerState.CONNECTED) {
      return false;
    }
    put(previous, with(previous, PeerState.CONNECTING));
    return true;
  }

  /** Records a completed handshake (or a capability update) with the peer's info. */
  synchronized Peer connected(NodeInfo info, List<InetSocketAddress> addresses) {
    Peer previous = peers.get(info.getNodeId());
    ImmutableList<InetSocketAddress> known =
        addresses.isEmpty() && previous != null
            ? previous.addresses()
            : ImmutableList.copyOf(addresses);
    return put(
        previous,
        new Peer(info.getNodeId(), PeerState.CONNECTED, known, info, info.getCapabilityVersion()));
  }

  /** Marks the peer DISCONNECTED (it may reconnect). */
  synchronized void disconnected(String nodeId) {
    Peer previous = peers.get(nodeId);
    if (previous != null && previous.state() != PeerState.DISCONNECTED) {
      put(previous, with(previous, PeerState.DISCONNECTED));
    }
  }

  /** Forgets the peer (discovery lost it). */
  synchronized void remove(String nodeId) {
    Peer previous = peers.remove(nodeId);
    if (previous != null) {
      notifyListeners(previous, null);
    }
  }

  @Override
  public synchronized Optional<Peer> get(String nodeId) {
    return Optional.ofNullable(peers.get(nodeId));
  }

  @Override
  public synchronized ImmutableList<Peer> all() {
    return ImmutableList.copyOf(peers.values());
  }

  private Peer put(Peer previous, Peer current) {
    peers.put(current.nodeId(), current);
    if (!current.equals(previous)) {
      notifyListeners(previous, current);
    }
    return current;
  }

  private void notifyListeners(Peer previous, Peer current) {
    for (Listener listener : listeners) {
      try {
        listener.onPeerChanged(previous, current);
      } catch (RuntimeException e) {
        log.warn("peer listener failed", e);
      }
    }
  }

  private static Peer with(Peer peer, PeerState state) {
    return new Peer(peer.nodeId(), state, peer.addresses(), peer.info(), peer.capabilityVersion());
  }
}
