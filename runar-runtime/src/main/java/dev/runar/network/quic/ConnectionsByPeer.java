package dev.runar.network.quic;

import dev.runar.Status;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections a transport holds, and the one calls to each peer use. A node may hold more than
 * one connection to a peer for a while: both nodes dialed each other at once, the peer restarted,
 * or the peer lost a connection this side still holds and dialed anew.
 *
 * <p>Between two connections to a live peer, the one dialed by the node with the smaller id
 * survives; between two one node dialed, the one open first there. Only the node that dialed the
 * survivor closes the other, and only once the survivor is open on its side. A dialer's side opens
 * last (on the peer's Hello, which the peer sends as its own side opens), so the survivor is then
 * open on both. The other node keeps both until it is told, calling on one it dialed itself (open
 * on both sides) if it has one, and moves to the other when that one leaves. So a dialer that gives
 * up on its connection after the peer opened it (a Hello that came too late) leaves both nodes on
 * the other connection: had the peer closed the other as soon as its side of the survivor opened,
 * neither would have one.
 *
 * <p>A connection to a dead process is replaced at once, on both sides: one whose peer restarted
 * (another instance id), or, by a connection the peer dialed, one whose pings have gone unanswered
 * for longer than the keep-alive interval (the peer lost it, and its new connection is the one it
 * uses). A connection this side dialed never replaces one that way: the survivor rule decides, and
 * liveness closes a connection that is really dead.
 *
 * <p>Thread-safe: choices are made under one lock and acted on by the caller outside it.
 */
final class ConnectionsByPeer {
  private final Set<QuicConnection> all = ConcurrentHashMap.newKeySet();
  private final Map<String, QuicConnection> inUse = new ConcurrentHashMap<>();
  private final Duration unansweredLimit;

  /**
   * @param unansweredLimit how long a connection's ping may go unanswered before a new connection
   *     from the same peer replaces it
   */
  ConnectionsByPeer(Duration unansweredLimit) {
    this.unansweredLimit = unansweredLimit;
  }

  /** What became of a connection that opened. */
  record Opened(boolean inUse, Optional<Retired> retired) {
    static final Opened STANDBY = new Opened(false, Optional.empty());
    static final Opened IN_USE = new Opened(true, Optional.empty());
  }

  /**
   * A connection to close: {@code dead} when nobody will answer on it (its calls fail now), else a
   * live duplicate whose calls may finish.
   */
  record Retired(QuicConnection connection, Status why, boolean dead) {}

  /** A connection set up, accepted or dialed, open or not yet. */
  void track(QuicConnection connection) {
    all.add(connection);
  }

  /** A connection closed. */
  void untrack(QuicConnection connection) {
    all.remove(connection);
  }

  /** Every connection tracked, handshaking ones included. */
  Collection<QuicConnection> all() {
    return all;
  }

  /** The connection calls to {@code peerId} use, if any. */
  Optional<QuicConnection> inUse(String peerId) {
    return Optional.ofNullable(inUse.get(peerId));
  }

  /** The connections calls use, one per peer. */
  Collection<QuicConnection> inUse() {
    return inUse.values();
  }

  /** {@code connection}'s handshake completed: whether calls use it, and what it replaces. */
  synchronized Opened opened(QuicConnection connection) {
    String peer = connection.peerId();
    QuicConnection current = inUse.get(peer);
    if (current == null || !current.isOpen()) {
      inUse.put(peer, connection);
      return Opened.IN_USE;
    }
    if (current.peerInstance() != connection.peerInstance()) {
      inUse.put(peer, connection);
      return replacing(current, "peer " + peer + " restarted");
    }
    if (!connection.isDialer() && current.control().unanswered().compareTo(unansweredLimit) > 0) {
      inUse.put(peer, connection);
      return replacing(current, "replaced by a new connection from a peer that stopped answering");
    }
    QuicConnection survivor = survivor(current, connection);
    if (!survivor.isDialer()) {
      // The peer decides, once the survivor is open on its side. Until then calls go on one this
      // side dialed if there is one: it is open on both sides.
      if (connection.isDialer() && !current.isDialer()) {
        inUse.put(peer, connection);
        return Opened.IN_USE;
      }
      return Opened.STANDBY;
    }
    QuicConnection other = survivor == current ? connection : current;
    if (survivor == connection) {
      inUse.put(peer, connection);
    }
    return new Opened(
        survivor == connection,
        Optional.of(
            new Retired(
                other, Status.ALREADY_EXISTS.withDescription("duplicate connection"), false)));
  }

  private static Opened replacing(QuicConnection current, String why) {
    return new Opened(
        true, Optional.of(new Retired(current, Status.UNAVAILABLE.withDescription(why), true)));
  }

  /**
   * Of two connections to one peer, the one both sides keep: the one the smaller node id dialed;
   * {@code current} when one node dialed both.
   */
  private static QuicConnection survivor(QuicConnection current, QuicConnection candidate) {
    return dialerId(candidate).compareTo(dialerId(current)) < 0 ? candidate : current;
  }

  /** Of two standby connections, the one calls move to: one this side dialed, else the survivor. */
  private static QuicConnection successor(QuicConnection a, QuicConnection b) {
    return a.isDialer() != b.isDialer() ? (a.isDialer() ? a : b) : survivor(a, b);
  }

  private static String dialerId(QuicConnection connection) {
    return connection.isDialer()
        ? connection.transport().localInfo().getNodeId()
        : connection.peerId();
  }

  /**
   * {@code connection} no longer takes calls (goodbye, closed or replaced): if calls to its peer
   * used it, they use another open connection to the peer from now on, when there is one and {@code
   * mayMove} (a peer that is leaving closes them all).
   */
  synchronized Left left(QuicConnection connection, boolean mayMove) {
    String peer = connection.peerId();
    if (!inUse.remove(peer, connection)) {
      return Left.NOT_IN_USE;
    }
    if (!mayMove) {
      return new Left(true, Optional.empty());
    }
    Optional<QuicConnection> successor =
        all.stream()
            .filter(
                c -> c != connection && c.isOpen() && !c.isRetiring() && c.peerId().equals(peer))
            .reduce(ConnectionsByPeer::successor);
    successor.ifPresent(s -> inUse.put(peer, s));
    return new Left(true, successor);
  }

  /** What became of calls to a peer whose connection left. */
  record Left(boolean wasInUse, Optional<QuicConnection> successor) {
    static final Left NOT_IN_USE = new Left(false, Optional.empty());
  }
}
