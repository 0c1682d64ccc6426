package dev.runar;

import dev.runar.network.NetworkTransport;
import dev.runar.network.PeerConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the addresses discovery hands the node into connections: at most one attempt per address at
 * a time, and retries that back off.
 *
 * <p>How hard it tries depends on who vouches for the address. A <b>trusted</b> address (a seed the
 * user configured, or one where a handshake once succeeded) is retried with exponential backoff
 * from 100 ms to 10 s (±20 % jitter) for as long as discovery knows it. An address that only an
 * unauthenticated announcement names gets one short attempt ({@link #UNPROVEN_TIMEOUT}), one more
 * after {@link #UNPROVEN_RETRY}, and then at most one per {@link #UNPROVEN_QUIET}, however often it
 * is announced: a forged announcement naming someone else's address cannot turn the node into a
 * stream of QUIC Initials toward it.
 *
 * <p>Thread-safe.
 */
final class Dialer {
  private static final Logger log = LoggerFactory.getLogger(Dialer.class);
  private static final long BACKOFF_MIN_MILLIS = 100;
  private static final long BACKOFF_MAX_MILLIS = 10_000;
  static final Duration UNPROVEN_TIMEOUT = Duration.ofSeconds(1);
  static final Duration UNPROVEN_RETRY = Duration.ofSeconds(5);
  static final Duration UNPROVEN_QUIET = Duration.ofSeconds(60);

  /**
   * How long an attempt at a trusted address may take. Short enough that a peer coming back is
   * reached by the next attempt rather than by QUIC's growing Initial retransmission timer.
   */
  static final Duration TRUSTED_TIMEOUT = Duration.ofSeconds(3);

  /**
   * How long a node waits before dialing a discovered peer whose id sorts before its own. Both
   * learn of each other at once; if both dialed, one connection would be closed as a duplicate (the
   * one dialed by the larger id), and a call placed on it meanwhile would need a retry. So the
   * smaller id dials and the other waits this long, dialing only if no connection came.
   */
  static final Duration STAGGER = Duration.ofMillis(500);

  private final String localId;
  private final NetworkTransport transport;
  private final ScheduledExecutorService timer;
  private final PeerRegistry peers;
  private final Predicate<String> connected;
  private final Map<InetSocketAddress, Dial> dials = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  /** Dialing one address. Guarded by its own monitor. */
  private static final class Dial {
    final InetSocketAddress address;
    final boolean seed;
    String peerId = "";
    boolean proven;
    int failures;
    boolean inProgress;
    boolean cancelled;
    boolean staggered;
    long notBeforeNanos;
    long lastProbeNanos;
    long instance;
    int attempt;
    ScheduledFuture<?> retry;

    Dial(InetSocketAddress address, boolean seed) {
      this.address = address;
      this.seed = seed;
    }

    boolean trusted() {
      return seed || proven;
    }
  }

  /**
   * @param connected whether the node holds an open connection to a peer id
   */
  Dialer(
      String localId,
      NetworkTransport transport,
      ScheduledExecutorService timer,
      PeerRegistry peers,
      Predicate<String> connected) {
    this.localId = localId;
    this.transport = transport;
    this.timer = timer;
    this.peers = peers;
    this.connected = connected;
  }

  /**
   * Dials {@code address} unless an attempt is under way, a retry is scheduled, or the node is
   * already connected to {@code nodeId}.
   *
   * @param nodeId who discovery says is there; "" for a configured seed (whose id the handshake
   *     tells)
   * @param probe dial even when connected: the peer announced a new instance, so the open
   *     connection may lead to its dead process (a new handshake replaces it only if it
   *     authenticates)
   */
  void dial(InetSocketAddress address, String nodeId, boolean probe) {
    dial(address, nodeId, 0, probe);
  }

  /**
   * As {@link #dial(InetSocketAddress, String, boolean)}, with the instance id the announcement
   * carries (0 when unknown). A new instance at a trusted address means the node there restarted:
   * an attempt still waiting on its previous, dead instance (or a backoff) must not hold up a dial
   * to the new one, so one fresh attempt starts at once (at most one per {@link #UNPROVEN_RETRY}).
   */
  void dial(InetSocketAddress address, String nodeId, long instanceId, boolean probe) {
    Dial d = dials.computeIfAbsent(address, a -> new Dial(a, nodeId.isEmpty()));
    Duration timeout;
    int attempt;
    synchronized (d) {
      if (!nodeId.isEmpty()) {
        d.peerId = nodeId;
      }
      boolean restarted = instanceId != 0 && d.instance != 0 && instanceId != d.instance;
      if (instanceId != 0) {
        d.instance = instanceId;
      }
      boolean fresh = probe || (restarted && d.trusted());
      if (fresh) {
        // A restart is worth a prompt dial; a stream of (forged) restarts is not worth one each.
        long now = System.nanoTime();
        if (d.lastProbeNanos != 0 && now - d.lastProbeNanos < UNPROVEN_RETRY.toNanos()) {
          return;
        }
        d.lastProbeNanos = now;
        if (d.retry != null && d.trusted()) {
          d.retry.cancel(false);
          d.retry = null;
        }
        if (d.trusted()) {
          d.inProgress = false; // an attempt at the old instance may go on; it no longer blocks
          d.failures = 0;
        }
      }
      if (!running
          || d.cancelled
          || d.inProgress
          || d.retry != null
          || (!probe && connected.test(d.peerId))
          || (!d.trusted() && System.nanoTime() - d.notBeforeNanos < 0)) {
        return;
      }
      if (!fresh && !d.staggered && !d.peerId.isEmpty() && d.peerId.compareTo(localId) < 0) {
        d.staggered = true; // the peer is expected to dial this node: give it the chance
        d.retry = timer.schedule(() -> retried(d), STAGGER.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      d.inProgress = true;
      attempt = ++d.attempt;
      timeout = d.trusted() ? TRUSTED_TIMEOUT : UNPROVEN_TIMEOUT;
    }
    if (!d.peerId.isEmpty()) {
      peers.connecting(d.peerId);
    }
    transport
        .connect(address, timeout)
        .whenComplete((connection, error) -> finished(d, attempt, connection, error));
  }

  private void finished(Dial d, int attempt, PeerConnection connection, Throwable error) {
    synchronized (d) {
      if (error == null) {
        // The backoff starts over only once the connection is in use (connected()): a handshake
        // whose connection is then refused as a duplicate still backs off.
        d.inProgress = d.inProgress && attempt != d.attempt;
        d.proven = true;
        d.peerId = connection.peerId();
        d.instance = connection.peerInfo().getInstanceId();
        return;
      }
      if (attempt != d.attempt) {
        return; // a newer attempt superseded this one
      }
      d.inProgress = false;
    }
    log.debug("node {} could not connect to {}: {}", localId, d.address, error.getMessage());
    if (!d.peerId.isEmpty() && !connected.test(d.peerId)) {
      peers.disconnected(d.peerId);
    }
    retryLater(d);
  }

  private void retryLater(Dial d) {
    synchronized (d) {
      if (!running || d.cancelled || d.retry != null) {
        return;
      }
      if (!d.trusted()) {
        // Nobody vouches for this address: no retry loop, only a later announcement may dial it.
        Duration wait = d.failures++ == 0 ? UNPROVEN_RETRY : UNPROVEN_QUIET;
        d.notBeforeNanos = System.nanoTime() + wait.toNanos();
        return;
      }
      long backoff = Math.min(BACKOFF_MAX_MILLIS, BACKOFF_MIN_MILLIS << Math.min(d.failures++, 20));
      long jittered = (long) (backoff * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
      d.retry = timer.schedule(() -> retried(d), jittered, TimeUnit.MILLISECONDS);
    }
  }

  private void retried(Dial d) {
    synchronized (d) {
      d.retry = null;
    }
    dial(d.address, "", false);
  }

  /** A connection to {@code peerId} is in use: its dials start their backoff over. */
  void connected(String peerId) {
    for (Dial d : dials.values()) {
      synchronized (d) {
        if (peerId.equals(d.peerId)) {
          d.failures = 0;
        }
      }
    }
  }

  /** The connection to {@code peerId} ended: redial it where it was dialed from. */
  void disconnected(String peerId) {
    for (Dial d : dials.values()) {
      if (peerId.equals(d.peerId)) {
        retryLater(d);
      }
    }
  }

  /** Discovery no longer knows {@code peerId}: stop dialing it. */
  void forget(String peerId) {
    for (Dial d : dials.values()) {
      if (peerId.equals(d.peerId)) {
        cancel(d);
        dials.remove(d.address, d);
      }
    }
  }

  void stop() {
    running = false;
    dials.values().forEach(Dialer::cancel);
  }

  private static void cancel(Dial d) {
    synchronized (d) {
      d.cancelled = true;
      if (d.retry != null) {
        d.retry.cancel(false);
        d.retry = null;
      }
    }
  }
}
