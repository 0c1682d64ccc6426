package dev.runar.network.quic;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Decides whether a connection's peer is alive: the connection pings every {@code interval} and
 * notes every frame it receives ({@link #heard()}); a peer from which nothing at all was heard for
 * {@code timeout} is dead. The check runs ten times per interval and dates what was heard since the
 * one before, so a peer is declared dead between {@code timeout} and {@code timeout + interval / 5}
 * after its last frame. {@link #heard()} only raises a flag: it runs for every frame, and reading
 * the clock there cost more than the rest of the bookkeeping.
 *
 * <p>Why not QUIC's idle timeout: it only fires after the full idle period (30 s by default) and
 * treats any packet, even our own unanswered pings' acknowledgements, as traffic. An answer to a
 * ping is the only proof that the peer's process still runs.
 *
 * <p>Threading: {@link #heard()} from any thread; the checks run on the connection's event loop.
 */
final class Liveness {
  /** What the connection does when the peer must be pinged or is dead. */
  interface Peer {
    void ping();

    void dead(Duration silence);
  }

  private final long intervalNanos;
  private final long timeoutNanos;
  private volatile boolean heardSinceCheck;
  private volatile long lastHeard = System.nanoTime();
  private long lastPing = System.nanoTime();
  private volatile long pingedAt;
  private volatile boolean awaitingAnswer;
  private ScheduledFuture<?> checks;

  Liveness(Duration interval, Duration timeout) {
    this.intervalNanos = interval.toNanos();
    this.timeoutNanos = timeout.toNanos();
  }

  /** Starts pinging and checking on {@code loop}. */
  void start(EventLoop loop, Peer peer) {
    long period =
        Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(intervalNanos, timeoutNanos) / 10);
    lastHeard = System.nanoTime();
    checks = loop.scheduleAtFixedRate(() -> check(peer), period, period, TimeUnit.NANOSECONDS);
  }

  /** Something arrived from the peer. */
  void heard() {
    if (!heardSinceCheck) { // a read, not a store, on the common path
      heardSinceCheck = true;
    }
  }

  /** How long the peer has been silent, to within one check's period. */
  Duration silence() {
    return heardSinceCheck ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lastHeard);
  }

  /**
   * How long the oldest ping sent since the peer was last heard from has gone unanswered; zero when
   * none is waiting. Unlike {@link #silence()}, a connection with nothing to say yet (no ping sent
   * since its handshake) is never unanswered. To within one check's period.
   */
  Duration unanswered() {
    return heardSinceCheck || !awaitingAnswer
        ? Duration.ZERO
        : Duration.ofNanos(System.nanoTime() - pingedAt);
  }

  void stop() {
    ScheduledFuture<?> scheduled = checks;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  private void check(Peer peer) {
    long now = System.nanoTime();
    if (heardSinceCheck) {
      lastHeard = now; // first, so that silence() never sees neither
      awaitingAnswer = false;
      heardSinceCheck = false;
    }
    long silent = now - lastHeard;
    if (silent > timeoutNanos) {
      stop();
      peer.dead(Duration.ofNanos(silent));
    } else if (now - lastPing >= intervalNanos) {
      lastPing = now;
      if (!awaitingAnswer) {
        pingedAt = now;
        awaitingAnswer = true;
      }
      peer.ping();
    }
  }
}
