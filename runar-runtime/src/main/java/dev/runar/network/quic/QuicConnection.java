package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.CallStream;
import dev.runar.network.MessageLimit;
import dev.runar.network.Payload;
import dev.runar.network.PeerConnection;
import dev.runar.network.ReplyMetadata;
import dev.runar.network.ResponseListener;
import dev.runar.network.SentCall;
import dev.runar.network.TransportStats;
import dev.runar.network.WireStatus;
import dev.runar.wire.Event;
import dev.runar.wire.Frame;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One QUIC connection to a peer node: its lifecycle, and the {@link PeerConnection} the node uses.
 * The handshake and the other control-stream traffic are {@link ControlStream}'s; this side's calls
 * {@link Outbound}'s (on lanes, or on streams of their own); what the peer calls is served by
 * {@link Serving}.
 *
 * <p>Lifecycle: HANDSHAKING until both sides' Hello was exchanged and verified (no call may be sent
 * before: a TLS connection is not yet an authorised one), OPEN, then CLOSING (after a goodbye
 * either way: new calls fail with UNAVAILABLE, calls in flight may finish), then CLOSED (calls
 * still in flight fail with UNAVAILABLE at once).
 *
 * <p>Threading: the connection's state is confined to its channel's event loop: it changes only
 * there, and methods called from other threads ({@link #call}, {@link #openStream}, {@link
 * #sendEvent}, {@link #close}) hop onto the loop (through the {@link WriteQueue} for calls). Fields
 * other threads read ({@code state}, {@code peerInfo}, {@code closeReason}) are volatile.
 */
final class QuicConnection implements PeerConnection {
  private static final Logger log = LoggerFactory.getLogger(QuicConnection.class);
  static final AttributeKey<QuicConnection> KEY =
      AttributeKey.valueOf(QuicConnection.class, "runar");

  /** The wire protocol version: 2 added lanes (see docs/wire-protocol.md). */
  static final int PROTOCOL_VERSION = 2;

  /** Application error code of a QUIC CONNECTION_CLOSE: the node left gracefully. */
  static final int LEFT = 0x100;

  /** Application error code of a QUIC CONNECTION_CLOSE: the peer did not answer in time. */
  static final int DEAD = 0x101;

  /**
   * Application error code of a QUIC CONNECTION_CLOSE: this side never opened the connection (its
   * handshake failed or timed out), so it ran none of the calls the peer may have sent on it.
   */
  static final int REFUSED = 0x102;

  enum State {
    HANDSHAKING,
    OPEN,
    CLOSING,
    CLOSED
  }

  private final QuicTransport transport;
  private final QuicChannel channel;
  private final EventLoop loop;
  private final boolean dialer;
  private final CompletableFuture<QuicConnection> handshake = new CompletableFuture<>();
  private final CompletableFuture<QuicConnection> placed = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final WriteQueue writes;
  private final Outbound outbound;
  private final Serving serving;
  private final ControlStream control;

  // Written on the event loop only.
  private volatile State state = State.HANDSHAKING;
  private volatile NodeInfo peerInfo = NodeInfo.getDefaultInstance();
  private volatile MessageLimit replyLimit;
  private volatile Optional<Status> closeReason = Optional.empty();

  private final long handshakeStarted;
  private final Duration handshakeTimeout;
  private ScheduledFuture<?> handshakeTimer; // event loop

  /** The peer said goodbye: close as soon as neither side has calls in flight. */
  private boolean peerLeaving;

  /** Retired as a duplicate, its goodbye waiting for this side's calls on it to end. */
  private volatile Optional<Status> retiring = Optional.empty();

  QuicConnection(
      QuicTransport transport, QuicChannel channel, boolean dialer, Duration handshakeTimeout) {
    this.transport = transport;
    this.channel = channel;
    this.loop = channel.eventLoop();
    this.dialer = dialer;
    this.replyLimit = transport.limit();
    this.writes = new WriteQueue(loop);
    this.outbound = new Outbound(this, transport, writes);
    this.serving = new Serving(this, transport, writes);
    this.control = new ControlStream(this, transport, serving);
    channel.attr(KEY).set(this);
    channel.closeFuture().addListener(f -> onChannelClosed());
    this.handshakeStarted = System.nanoTime();
    this.handshakeTimeout = handshakeTimeout;
    this.handshakeTimer = handshakeTimer(handshakeTimeout);
    handshake.whenComplete((c, e) -> handshakeTimer.cancel(false));
  }

  private ScheduledFuture<?> handshakeTimer(Duration after) {
    return loop.schedule(
        () ->
            refuse(
                Status.UNAVAILABLE.withDescription(
                    "handshake did not complete within "
                        + Duration.ofNanos(System.nanoTime() - handshakeStarted).toMillis()
                        + " ms"),
                false),
        after.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Dialer: its Hello is on its way. The peer opens the connection when the Hello arrives and may
   * call on it at once, so from here giving up costs the peer a connection: the wait for the peer's
   * Hello lasts at least the liveness timeout, after which an open connection's silent peer would
   * be declared dead too. (A short handshake timeout bounds dials toward addresses nobody vouches
   * for; a peer that completed QUIC's handshake has answered.) Event loop.
   */
  void helloSent() {
    Duration patience = transport.config().livenessTimeout();
    Duration spent = Duration.ofNanos(System.nanoTime() - handshakeStarted);
    if (handshake.isDone() || handshakeTimeout.minus(spent).compareTo(patience) >= 0) {
      return;
    }
    handshakeTimer.cancel(false);
    handshakeTimer = handshakeTimer(patience);
  }

  /** Completes with the connection once its handshake is verified. */
  CompletableFuture<QuicConnection> handshake() {
    return handshake;
  }

  /**
   * Completes with the connection once the transport has placed it after its handshake: in use,
   * standing by, or closed as a duplicate.
   */
  CompletableFuture<QuicConnection> placed() {
    return placed;
  }

  QuicChannel channel() {
    return channel;
  }

  QuicTransport transport() {
    return transport;
  }

  ControlStream control() {
    return control;
  }

  /** This connection's batched writes (lanes, streaming calls' messages). */
  WriteQueue writes() {
    return writes;
  }

  Serving serving() {
    return serving;
  }

  State state() {
    return state;
  }

  // ---- handshake (event loop) ----

  /** The peer's Hello passed {@link PeerCheck}: the connection opens. */
  void establish(NodeInfo info) {
    peerInfo = info;
    int peerLimit = info.getMaxMessageSize();
    if (peerLimit > 0 && peerLimit < transport.limit().maxBytes()) {
      replyLimit = new MessageLimit(peerLimit);
    }
    state = State.OPEN;
    control.startLiveness();
    handshake.complete(this);
  }

  /** Says why the peer is refused (when a control stream exists) and closes. */
  void refuse(Status status, boolean sayGoodbye) {
    if (handshake.isDone()) {
      return;
    }
    log.debug("refusing connection to {}: {}", channel.remoteSocketAddress(), status);
    handshake.completeExceptionally(status.asException());
    closeReason = Optional.of(status);
    state = State.CLOSING;
    if (sayGoodbye && control.goodbye(status, () -> closeRefused(status))) {
      return;
    }
    closeRefused(status);
  }

  private void closeRefused(Status status) {
    if (channel.isActive()) {
      closeChannel(REFUSED, String.valueOf(status.description()));
    } else {
      channel.close(); // QUIC's own handshake is not done: there is nobody to tell
    }
  }

  void protocolError(String what) {
    log.warn(
        "protocol error from {}: {}",
        peerId().isEmpty() ? channel.remoteSocketAddress() : peerId(),
        what);
    Status status = Status.INTERNAL.withDescription("protocol error: " + what);
    if (!handshake.isDone()) {
      refuse(status, true);
    } else {
      closeReason = Optional.of(status);
      channel.close();
    }
  }

  /**
   * The peer said goodbye with {@code code}: no new calls either way; close once the calls in
   * flight end.
   */
  void onGoodbye(Status.Code code, String reason) {
    Status status =
        Status.UNAVAILABLE.withDescription("peer " + peerId() + " said goodbye: " + reason);
    closeReason = Optional.of(status);
    // Routes move to the peer's next connection, if this one was closed as its duplicate (a
    // leaving peer closes them all), before calls here are refused: a call refused unstarted is
    // sent again on the connection routes name.
    transport.onLeaving(this, status, code == Status.Code.ALREADY_EXISTS);
    if (state == State.OPEN) {
      state = State.CLOSING;
    }
    peerLeaving = true;
    callEnded();
  }

  void updatePeerInfo(NodeInfo info) {
    peerInfo = info;
  }

  /** The control stream ended: without it the connection cannot go on. */
  void onControlStreamClosed() {
    if (state == State.OPEN || state == State.HANDSHAKING) {
      closeReason =
          Optional.of(
              Status.UNAVAILABLE.withDescription("control stream to " + peerId() + " closed"));
      channel.close();
    }
  }

  /** Something arrived from the peer: it is alive. Any thread. */
  void heard() {
    control.heard();
  }

  /** The peer's process instance (see {@code NodeInfo.instance_id}); 0 before the handshake. */
  long peerInstance() {
    return peerInfo.getInstanceId();
  }

  /** The limit a reply to this peer must keep: ours, or the peer's if it advertised a lower one. */
  MessageLimit replyLimit() {
    return replyLimit;
  }

  // ---- PeerConnection ----

  @Override
  public String peerId() {
    return peerInfo.getNodeId();
  }

  @Override
  public NodeInfo peerInfo() {
    return peerInfo;
  }

  @Override
  public boolean isDialer() {
    return dialer;
  }

  @Override
  public boolean isOpen() {
    return state == State.OPEN;
  }

  /**
   * Whether calls arriving from the peer are served: while open, and while closing as a duplicate
   * of another connection (the peer may send calls here until our goodbye reaches it, and routing
   * them elsewhere would depend on which of two QUIC streams arrives first). Event loop.
   */
  boolean servesCalls() {
    return state == State.OPEN || (state == State.CLOSING && retiring.isPresent());
  }

  /** Whether this connection was retired as a duplicate: calls never move to it. Any thread. */
  boolean isRetiring() {
    return retiring.isPresent();
  }

  /**
   * Closes gracefully as the duplicate of another connection to the same peer, to which routes have
   * moved: says goodbye once this side's calls on it have ended, streaming ones included (or the
   * grace period passed). The peer closes the connection when it has answered every call it saw
   * after a goodbye, so a goodbye sent while a call of ours was still on its way could end that
   * call unanswered. Any thread.
   */
  void retireAsDuplicate(Status why) {
    onLoop(
        () -> {
          if (state != State.OPEN || retiring.isPresent()) {
            return;
          }
          retiring = Optional.of(why);
          loop.schedule(
              () -> {
                if (state == State.OPEN) {
                  close(why);
                }
              },
              transport.config().shutdownGracePeriod().toNanos(),
              TimeUnit.NANOSECONDS);
          callEnded();
        });
  }

  @Override
  public CompletableFuture<Response> call(Request header, Payload payload) {
    return outbound.call(header, header.getTimeoutMicros(), payload);
  }

  @Override
  public CompletableFuture<Response> call(Request header, long timeoutMicros, Payload payload) {
    return outbound.call(header, timeoutMicros, payload);
  }

  @Override
  public SentCall call(
      Request header, long timeoutMicros, Payload payload, ResponseListener listener) {
    return outbound.call(header, timeoutMicros, payload, listener);
  }

  @Override
  public CallStream openStream(Request header, ReplyMetadata reply) {
    return outbound.openStream(header, reply);
  }

  @Override
  public void sendEvent(Event event) {
    if (state == State.OPEN || state == State.CLOSING) {
      control.write(Frame.newBuilder().setEvent(event).build());
    }
  }

  @Override
  public CompletableFuture<Optional<TransportStats>> transportStats() {
    return ConnectionStats.collect(channel);
  }

  // ---- closing ----

  @Override
  public CompletableFuture<Void> close() {
    return close(
        Status.OK.withDescription("node " + transport.localInfo().getNodeId() + " is leaving"));
  }

  /**
   * Leaves gracefully: says goodbye (new calls from the peer are refused as not started from then
   * on), lets calls in flight both ways finish, and then waits for the peer to close the
   * connection, which it does once its own calls here are answered. Until then QUIC keeps
   * retransmitting whatever was lost (replies, the goodbye), so a lossy moment at stop loses
   * nothing. Bounded by the grace period; the close carries {@link #LEFT} for the peer. Any thread.
   */
  CompletableFuture<Void> close(Status reason) {
    onLoop(
        () -> {
          if (state == State.CLOSED) {
            return;
          }
          if (!handshake.isDone()) {
            refuse(reason, true);
            return;
          }
          if (closeReason.isEmpty()) {
            closeReason =
                Optional.of(
                    Status.UNAVAILABLE.withDescription(
                        "connection closed: " + reason.description()));
          }
          if (state == State.OPEN) {
            state = State.CLOSING;
            control.goodbye(reason, () -> {});
          }
          callEnded();
          loop.schedule(
              () -> closeChannel(LEFT, "grace period over"),
              transport.config().shutdownGracePeriod().toNanos(),
              TimeUnit.NANOSECONDS);
        });
    return closed;
  }

  /**
   * A call ended, either way: once the peer said goodbye and no call is in flight either way (the
   * answers this side waited for have all arrived, and those it sent were taken by the peer's
   * handlers, since the peer waits for its own calls before it closes), the channel closes. Event
   * loop.
   */
  void callEnded() {
    if (retiring.isPresent()
        && state == State.OPEN
        && outbound.inFlight() == 0
        && outbound.streaming() == 0) {
      close(retiring.get());
      return; // close() comes back here
    }
    if (peerLeaving
        && state == State.CLOSING
        && outbound.inFlight() == 0
        && serving.running() == 0) {
      closeChannel(LEFT, "both sides done");
    }
  }

  /** A peer that stayed silent past the liveness timeout is gone: close without waiting. */
  void declareDead(Duration silence) {
    if (state == State.CLOSED) {
      return;
    }
    log.info("peer {} sent nothing for {} ms: declaring it dead", peerId(), silence.toMillis());
    abandon(
        Status.UNAVAILABLE.withDescription(
            "peer " + peerId() + " did not answer for " + silence.toMillis() + " ms"));
  }

  /** Closes at once, failing calls in flight with {@code reason}: nobody will answer them. */
  void abandon(Status reason) {
    onLoop(
        () -> {
          closeReason = Optional.of(reason);
          closeChannel(DEAD, String.valueOf(reason.description()));
        });
  }

  /**
   * The peer closed the connection (QUIC CONNECTION_CLOSE) with {@code error} and {@code reason}.
   * Event loop.
   */
  void onPeerClosed(boolean application, int error, String reason) {
    if (closeReason.isPresent() && !closeReason.get().isOk()) {
      return;
    }
    Status status;
    if (application && error == LEFT) {
      status = Status.UNAVAILABLE.withDescription("peer " + peerId() + " left");
    } else if (application && error == REFUSED) {
      // The calls sent on it were refused unstarted, or never read: they may go elsewhere.
      status =
          WireStatus.notStarted(
              Status.UNAVAILABLE.withDescription(
                  "peer " + peerId() + " never opened the connection: " + reason));
    } else {
      status =
          Status.UNAVAILABLE.withDescription(
              "peer " + peerId() + " closed the connection (error " + error + ")");
    }
    closeReason = Optional.of(status);
  }

  private void closeChannel(int error, String why) {
    if (channel.isActive()) {
      channel.close(true, error, Unpooled.copiedBuffer(why, StandardCharsets.US_ASCII));
    }
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closed;
  }

  /** Why calls cannot be made on this connection now. */
  Status unavailable() {
    return closeReason.orElseGet(
        () -> Status.UNAVAILABLE.withDescription("connection to " + peerId() + " is not open"));
  }

  private void onChannelClosed() {
    State previous = state;
    control.stopLiveness();
    if (closeReason.isEmpty() || closeReason.get().isOk()) {
      closeReason =
          Optional.of(
              Status.UNAVAILABLE.withDescription("connection to " + peerId() + " was lost"));
    }
    Status reason = unavailable();
    // Every connection leaves the transport's tables, including one that never finished its
    // handshake (wrong ALPN, a refused certificate, a peer that vanished before its Hello). First,
    // so that calls failing here unstarted find the peer's next connection, if it has one.
    transport.onClosed(this, reason, previous != State.HANDSHAKING);
    state = State.CLOSED;
    handshake.completeExceptionally(reason.asException());
    outbound.failAll(reason);
    closed.complete(null);
  }

  @Override
  public String toString() {
    String peer = (dialer ? "to " : "from ") + peerId() + " " + channel.remoteSocketAddress();
    return "QuicConnection[" + peer + " " + state + "]";
  }
}
