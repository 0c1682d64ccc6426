package dev.runar.network.quic;

import com.google.common.collect.ImmutableList;
import dev.runar.Status;
import dev.runar.internal.FailedPublisher;
import dev.runar.network.CallStream;
import dev.runar.network.PeerConnection;
import dev.runar.network.ReplyMetadata;
import dev.runar.network.WireStatus;
import dev.runar.security.NodeCredentials;
import dev.runar.wire.Cancel;
import dev.runar.wire.Event;
import dev.runar.wire.Frame;
import dev.runar.wire.Goodbye;
import dev.runar.wire.Hello;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Ping;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One QUIC connection to a peer node: the handshake on its control stream, the calls on their own
 * streams, events, keep-alive and the graceful close.
 *
 * <p>Lifecycle: HANDSHAKING until both sides' Hello was exchanged and verified (no call may be sent
 * before: a TLS connection is not yet an authorised one), OPEN, then CLOSING (after a goodbye
 * either way: new calls fail with UNAVAILABLE, calls in flight may finish), then CLOSED (calls
 * still in flight fail with UNAVAILABLE at once).
 */
final class QuicConnection implements PeerConnection {
  private static final Logger log = LoggerFactory.getLogger(QuicConnection.class);
  static final AttributeKey<QuicConnection> KEY =
      AttributeKey.valueOf(QuicConnection.class, "runar");
  static final int PROTOCOL_VERSION = 1;

  /** Application error code of a QUIC CONNECTION_CLOSE: the node left gracefully. */
  static final int LEFT = 0x100;

  /** Application error code of a QUIC CONNECTION_CLOSE: the peer did not answer in time. */
  static final int DEAD = 0x101;

  private enum State {
    HANDSHAKING,
    OPEN,
    CLOSING,
    CLOSED
  }

  private final QuicTransport transport;
  private final QuicChannel channel;
  private final boolean dialer;
  private final CompletableFuture<QuicConnection> handshake = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final Set<CompletableFuture<Response>> outbound = ConcurrentHashMap.newKeySet();
  private final Set<CompletableFuture<Void>> inbound = ConcurrentHashMap.newKeySet();

  /** Unary calls the peer made that are still running, by stream id, for the peer to cancel. */
  private final Map<Long, CompletableFuture<Response>> cancellable = new ConcurrentHashMap<>();

  private final AtomicLong pings = new AtomicLong();
  private final Liveness liveness;
  private final ByteBudget budget;
  private final AtomicInteger openInbound = new AtomicInteger();
  private final AtomicLong droppedEvents = new AtomicLong();

  /** Streaming calls' streams, either way, until they close. */
  private final Set<QuicStreamChannel> streams = ConcurrentHashMap.newKeySet();

  private volatile State state = State.HANDSHAKING;
  private volatile QuicStreamChannel control;
  private volatile NodeInfo peerInfo;
  private volatile Status closeReason;
  private volatile long advertisedVersion = -1;

  /** The peer said goodbye: close as soon as neither side has calls in flight. */
  private volatile boolean peerLeaving;

  QuicConnection(
      QuicTransport transport, QuicChannel channel, boolean dialer, Duration handshakeTimeout) {
    this.transport = transport;
    this.channel = channel;
    this.dialer = dialer;
    this.liveness =
        new Liveness(transport.config().keepAliveInterval(), transport.config().livenessTimeout());
    this.budget = new ByteBudget(transport.config().maxBufferedBytesPerConnection());
    channel.attr(KEY).set(this);
    channel.closeFuture().addListener(f -> onChannelClosed());
    ScheduledFuture<?> timeout =
        channel
            .eventLoop()
            .schedule(
                () ->
                    refuse(
                        Status.UNAVAILABLE.withDescription(
                            "handshake did not complete within "
                                + handshakeTimeout.toMillis()
                                + " ms"),
                        false),
                handshakeTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
    handshake.whenComplete((c, e) -> timeout.cancel(false));
  }

  /** Completes with the connection once its handshake is verified. */
  CompletableFuture<QuicConnection> handshake() {
    return handshake;
  }

  QuicChannel channel() {
    return channel;
  }

  // ---- handshake ----

  /** Dialer: opens the control stream and says hello. */
  void startHandshake() {
    channel
        .createStream(QuicStreamType.BIDIRECTIONAL, transport.controlStreamInitializer(this))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                refuse(
                    Status.UNAVAILABLE.withDescription("could not open the control stream"), false);
                return;
              }
              control = (QuicStreamChannel) f.getNow();
              control.writeAndFlush(hello());
            });
  }

  /** Acceptor: the peer opened {@code stream} with its Hello. */
  void onHelloStream(QuicStreamChannel stream, Hello hello) {
    if (dialer || control != null || state != State.HANDSHAKING) {
      protocolError("unexpected Hello on a new stream");
      return;
    }
    control = stream;
    Status refusal = verify(hello.getNode());
    if (refusal != null) {
      refuse(refusal, true);
      return;
    }
    control.writeAndFlush(hello());
    establish(hello.getNode());
  }

  private Frame hello() {
    NodeInfo info = transport.localInfo();
    advertisedVersion = info.getCapabilityVersion();
    return Frame.newBuilder().setHello(Hello.newBuilder().setNode(info)).build();
  }

  /** The capability version this side last told the peer about. */
  long advertisedVersion() {
    return advertisedVersion;
  }

  /** Why the peer claiming {@code info} must be refused, or null when it may connect. */
  private Status verify(NodeInfo info) {
    NodeInfo local = transport.localInfo();
    if (info.getProtocolVersion() != PROTOCOL_VERSION) {
      return Status.FAILED_PRECONDITION.withDescription(
          "peer speaks wire protocol "
              + info.getProtocolVersion()
              + ", this node speaks "
              + PROTOCOL_VERSION);
    }
    if (!info.getNetworkId().equals(local.getNetworkId())) {
      return Status.PERMISSION_DENIED.withDescription(
          "peer "
              + info.getNodeId()
              + " is on network '"
              + info.getNetworkId()
              + "', this node on '"
              + local.getNetworkId()
              + "'");
    }
    if (info.getNodeId().isEmpty()) {
      return Status.INVALID_ARGUMENT.withDescription("peer sent no node id");
    }
    if (info.getNodeId().equals(local.getNodeId())) {
      return Status.FAILED_PRECONDITION.withDescription("connected to itself");
    }
    if (transport.isClosing()) {
      return WireStatus.notStarted(
          Status.UNAVAILABLE.withDescription("node " + local.getNodeId() + " is leaving"));
    }
    Optional<String> refused = transport.handler().refusal(info);
    if (refused.isPresent()) {
      return Status.INVALID_ARGUMENT.withDescription(refused.get());
    }
    if (transport.authenticated()) {
      String certified = certifiedNodeId();
      if (!info.getNodeId().equals(certified)) {
        return Status.UNAUTHENTICATED.withDescription(
            "peer claims node id '"
                + info.getNodeId()
                + "' but its certificate is for '"
                + certified
                + "'");
      }
    }
    return null;
  }

  private String certifiedNodeId() {
    try {
      Certificate[] chain = channel.sslEngine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf
          ? NodeCredentials.commonName(leaf)
          : "";
    } catch (SSLPeerUnverifiedException e) {
      return "";
    }
  }

  private void establish(NodeInfo info) {
    peerInfo = info;
    state = State.OPEN;
    liveness.start(
        channel.eventLoop(),
        new Liveness.Peer() {
          @Override
          public void ping() {
            QuicConnection.this.ping();
          }

          @Override
          public void dead(Duration silence) {
            declareDead(silence);
          }
        });
    handshake.complete(this);
  }

  /** Says why the peer is refused (when a control stream exists) and closes. */
  private void refuse(Status status, boolean sayGoodbye) {
    if (handshake.isDone()) {
      return;
    }
    log.debug("refusing connection to {}: {}", channel.remoteSocketAddress(), status);
    handshake.completeExceptionally(status.asException());
    closeReason = status;
    state = State.CLOSING;
    QuicStreamChannel stream = control;
    if (sayGoodbye && stream != null) {
      stream.writeAndFlush(goodbye(status)).addListener(f -> channel.close());
    } else {
      channel.close();
    }
  }

  private void protocolError(String what) {
    log.warn(
        "protocol error from {}: {}",
        peerInfo == null ? channel.remoteSocketAddress() : peerId(),
        what);
    Status status = Status.INTERNAL.withDescription("protocol error: " + what);
    if (!handshake.isDone()) {
      refuse(status, true);
    } else {
      closeReason = status;
      channel.close();
    }
  }

  // ---- control stream ----

  /** What this connection's streams may buffer in frames not yet complete. */
  ByteBudget budget() {
    return budget;
  }

  /** Bytes held now in frames not yet complete, over all streams. */
  long bufferedBytes() {
    return budget.used();
  }

  /** Counts {@code stream}, which the peer opened, until it closes. */
  void trackInbound(QuicStreamChannel stream) {
    openInbound.incrementAndGet();
    stream.closeFuture().addListener(f -> openInbound.decrementAndGet());
  }

  /** Streams the peer opened that are not closed yet. */
  int openInboundStreams() {
    return openInbound.get();
  }

  /** Something arrived from the peer: it is alive. Any thread. */
  void heard() {
    liveness.heard();
  }

  /** How long nothing has arrived from the peer. */
  Duration silence() {
    return liveness.silence();
  }

  /** The peer's process instance (see {@code NodeInfo.instance_id}); 0 before the handshake. */
  long peerInstance() {
    NodeInfo info = peerInfo;
    return info == null ? 0 : info.getInstanceId();
  }

  void onControlFrame(Frame frame) {
    heard();
    switch (frame.getKindCase()) {
      case HELLO -> {
        if (!dialer || state != State.HANDSHAKING) {
          protocolError("unexpected Hello");
          return;
        }
        Status refusal = verify(frame.getHello().getNode());
        if (refusal != null) {
          refuse(refusal, true);
        } else {
          establish(frame.getHello().getNode());
        }
      }
      case GOODBYE -> {
        Goodbye goodbye = frame.getGoodbye();
        Status status =
            Status.fromCodeValue(goodbye.getStatusCode()).withDescription(goodbye.getReason());
        if (!handshake.isDone()) {
          refuse(status, false);
          return;
        }
        closeReason =
            Status.UNAVAILABLE.withDescription(
                "peer " + peerId() + " said goodbye: " + goodbye.getReason());
        if (state == State.OPEN) {
          state = State.CLOSING;
        }
        peerLeaving = true;
        transport.onLeaving(this, closeReason);
        closeWhenDrained();
      }
      case CAPABILITY_UPDATE -> {
        NodeInfo info = frame.getCapabilityUpdate().getNode();
        if (state == State.HANDSHAKING || !info.getNodeId().equals(peerId())) {
          protocolError("capability update for another node");
          return;
        }
        Optional<String> refused = transport.handler().refusal(info);
        if (refused.isPresent()) {
          log.info("closing the connection to {}: {}", peerId(), refused.get());
          close(Status.INVALID_ARGUMENT.withDescription(refused.get()));
          return;
        }
        peerInfo = info;
        transport.handler().onPeerUpdated(this);
      }
      case PING -> {
        if (!frame.getPing().getReply()) {
          writeControl(
              Frame.newBuilder()
                  .setPing(Ping.newBuilder().setNonce(frame.getPing().getNonce()).setReply(true))
                  .build());
        }
      }
      case EVENT -> {
        if (state == State.HANDSHAKING) {
          protocolError("event before the handshake");
          return;
        }
        Optional<Status> tooLarge =
            WireStatus.tooLarge(transport.limit(), "event", frame.getEvent().getPayload().size());
        if (tooLarge.isPresent()) {
          dropEvent(tooLarge.get().description());
          return;
        }
        transport.handler().onEvent(this, frame.getEvent());
      }
      case CANCEL -> {
        // Unknown ids are ignored: the call already ended, or its request has not arrived yet
        // (streams are not ordered with each other); then it runs until its reply fails to write
        // on the stream the caller closed, or until its deadline.
        CompletableFuture<Response> call = cancellable.get(frame.getCancel().getStreamId());
        if (call != null) {
          call.cancel(false);
        }
      }
      default -> protocolError("unexpected " + frame.getKindCase() + " on the control stream");
    }
  }

  /**
   * An event this node does not accept (larger than its limit) is dropped and counted: the
   * connection, and the calls on it, go on.
   */
  void dropEvent(String why) {
    long dropped = droppedEvents.incrementAndGet();
    log.debug("dropped event #{} from {}: {}", dropped, peerId(), why);
  }

  /** Events from this peer dropped as too large. */
  long droppedEvents() {
    return droppedEvents.get();
  }

  /** The control stream broke: a malformed frame. */
  void onControlStreamFailed(String why) {
    if (state != State.CLOSED) {
      protocolError(why);
    }
  }

  /** The control stream ended: without it the connection cannot go on. */
  void onControlStreamClosed() {
    if (state == State.OPEN || state == State.HANDSHAKING) {
      closeReason = Status.UNAVAILABLE.withDescription("control stream to " + peerId() + " closed");
      channel.close();
    }
  }

  private void ping() {
    if (state == State.OPEN || state == State.CLOSING) {
      writeControl(
          Frame.newBuilder().setPing(Ping.newBuilder().setNonce(pings.incrementAndGet())).build());
    }
  }

  void sendCapabilityUpdate(NodeInfo info) {
    if (state == State.OPEN) {
      advertisedVersion = info.getCapabilityVersion();
      writeControl(
          Frame.newBuilder()
              .setCapabilityUpdate(dev.runar.wire.CapabilityUpdate.newBuilder().setNode(info))
              .build());
    }
  }

  /** Asks the peer to cancel the unary call this side opened on stream {@code streamId}. */
  void cancelRemoteCall(long streamId, String reason) {
    writeControl(
        Frame.newBuilder()
            .setCancel(Cancel.newBuilder().setStreamId(streamId).setReason(reason))
            .build());
  }

  private void writeControl(Frame frame) {
    QuicStreamChannel stream = control;
    if (stream != null && stream.isActive()) {
      stream.writeAndFlush(frame, stream.voidPromise());
    }
  }

  private static Frame goodbye(Status status) {
    return Frame.newBuilder()
        .setGoodbye(
            Goodbye.newBuilder()
                .setStatusCode(status.code().value())
                .setReason(status.description() == null ? "" : status.description()))
        .build();
  }

  // ---- PeerConnection ----

  @Override
  public String peerId() {
    NodeInfo info = peerInfo;
    return info == null ? "" : info.getNodeId();
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

  @Override
  public CompletableFuture<Response> call(Request request) {
    if (state != State.OPEN) {
      return CompletableFuture.failedFuture(WireStatus.notStarted(unavailable()).asException());
    }
    Optional<Status> tooLarge =
        WireStatus.tooLarge(transport.limit(), "request", request.getPayload().size());
    if (tooLarge.isPresent()) {
      return CompletableFuture.failedFuture(tooLarge.get().asException());
    }
    OutboundCall call = new OutboundCall(this, request, transport.callbacks());
    CompletableFuture<Response> result = call.result();
    outbound.add(result);
    result.whenComplete(
        (r, e) -> {
          outbound.remove(result);
          closeWhenDrained();
        });
    openCallStream(transport.outboundCallInitializer(call), call::fail);
    return result;
  }

  @Override
  public CallStream openStream(Request header, ReplyMetadata reply) {
    QuicCallStream call =
        QuicCallStream.forCaller(header, transport.limit(), transport.callbacks(), reply);
    if (state != State.OPEN) {
      call.failToOpen(unavailable());
      return call;
    }
    openCallStream(transport.callStreamInitializer(call), call::failToOpen)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                trackStream((QuicStreamChannel) f.getNow());
              }
            });
    return call;
  }

  /**
   * Counts a streaming call's stream until it closes: a graceful close waits for streaming calls as
   * it does for unary ones.
   */
  private void trackStream(QuicStreamChannel stream) {
    streams.add(stream);
    stream
        .closeFuture()
        .addListener(
            f -> {
              streams.remove(stream);
              closeWhenDrained();
            });
  }

  /** Opens a stream for one call; {@code onFailure} hears why when it cannot be opened. */
  private io.netty.util.concurrent.Future<QuicStreamChannel> openCallStream(
      ChannelHandler initializer, Consumer<Status> onFailure) {
    return channel
        .createStream(QuicStreamType.BIDIRECTIONAL, initializer)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                onFailure.accept(
                    WireStatus.notStarted(
                        unavailable().withDescription("could not open a stream to " + peerId())));
              }
            });
  }

  /** Serves a streaming call the peer opened {@code stream} with. */
  void serveStream(QuicStreamChannel stream, Request header) {
    QuicCallStream call =
        QuicCallStream.forCallee(stream, transport.limit(), transport.callbacks());
    stream.pipeline().replace(InboundStreamHandler.class, "call", call);
    trackStream(stream);
    if (state != State.OPEN) {
      FailedPublisher.fail(call.outbound(), unavailable().asException());
      return;
    }
    transport.handler().onStream(this, header, call);
  }

  @Override
  public void sendEvent(Event event) {
    if (state == State.OPEN || state == State.CLOSING) {
      writeControl(Frame.newBuilder().setEvent(event).build());
    }
  }

  // ---- inbound calls ----

  /**
   * Serves the unary request the peer opened {@code stream} with, until its reply is written or the
   * stream closes. Runs on the stream's event loop.
   */
  void serve(QuicStreamChannel stream, Request request) {
    if (state != State.OPEN) {
      InboundCalls.reply(stream, WireStatus.toResponse(WireStatus.notStarted(unavailable())));
      return;
    }
    Optional<Status> tooLarge =
        WireStatus.tooLarge(transport.limit(), "request", request.getPayload().size());
    if (tooLarge.isPresent()) {
      InboundCalls.reply(stream, WireStatus.toResponse(tooLarge.get()));
      return;
    }
    long id = stream.streamId();
    CompletableFuture<Void> done = new CompletableFuture<>();
    inbound.add(done);
    CompletableFuture<Response> response;
    try {
      response = transport.handler().onRequest(this, request);
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    cancellable.put(id, response);
    done.whenComplete(
        (v, e) -> {
          inbound.remove(done);
          cancellable.remove(id);
          closeWhenDrained();
        });
    InboundCalls.serve(stream, response, transport.limit(), done);
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
   * nothing. Bounded by the grace period; the close carries {@link #LEFT} for the peer.
   */
  CompletableFuture<Void> close(Status reason) {
    if (state == State.CLOSED) {
      return closed;
    }
    if (!handshake.isDone()) {
      refuse(reason, true);
      return closed;
    }
    if (closeReason == null) {
      closeReason =
          Status.UNAVAILABLE.withDescription("connection closed: " + reason.description());
    }
    if (state == State.OPEN) {
      state = State.CLOSING;
      QuicStreamChannel stream = control;
      if (stream != null && stream.isActive()) {
        stream.writeAndFlush(goodbye(reason));
      }
    }
    closeWhenDrained();
    channel
        .eventLoop()
        .schedule(
            () -> closeChannel(LEFT, "grace period over"),
            transport.config().shutdownGracePeriod().toNanos(),
            TimeUnit.NANOSECONDS);
    return closed;
  }

  /**
   * Closes the channel once the peer said goodbye and no call is in flight either way: the answers
   * this side waited for have all arrived, and those it sent were taken by the peer's handlers (the
   * peer waits for its own calls before it closes).
   */
  private void closeWhenDrained() {
    if (peerLeaving
        && state == State.CLOSING
        && outbound.isEmpty()
        && inbound.isEmpty()
        && streams.isEmpty()) {
      closeChannel(LEFT, "both sides done");
    }
  }

  /** A peer that stayed silent past the liveness timeout is gone: close without waiting. */
  private void declareDead(Duration silence) {
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
    closeReason = reason;
    closeChannel(DEAD, reason.description());
  }

  /** The peer closed the connection (QUIC CONNECTION_CLOSE) with {@code error}. */
  void onPeerClosed(boolean application, int error) {
    if (closeReason == null || closeReason.isOk()) {
      closeReason =
          Status.UNAVAILABLE.withDescription(
              application && error == LEFT
                  ? "peer " + peerId() + " left"
                  : "peer " + peerId() + " closed the connection (error " + error + ")");
    }
  }

  private void closeChannel(int error, String why) {
    if (channel.isActive()) {
      channel.close(true, error, Unpooled.copiedBuffer(why, StandardCharsets.US_ASCII));
    }
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closed;
  }

  private Status unavailable() {
    Status reason = closeReason;
    return reason != null
        ? reason
        : Status.UNAVAILABLE.withDescription("connection to " + peerId() + " is not open");
  }

  private void onChannelClosed() {
    State previous = state;
    state = State.CLOSED;
    liveness.stop();
    if (closeReason == null || closeReason.isOk()) {
      closeReason = Status.UNAVAILABLE.withDescription("connection to " + peerId() + " was lost");
    }
    Status reason = closeReason;
    handshake.completeExceptionally(reason.asException());
    for (CompletableFuture<Response> call : ImmutableList.copyOf(outbound)) {
      transport.callbacks().execute(() -> call.completeExceptionally(reason.asException()));
    }
    // Every connection leaves the transport's tables, including one that never finished its
    // handshake (wrong ALPN, a refused certificate, a peer that vanished before its Hello).
    transport.onClosed(this, reason, previous != State.HANDSHAKING);
    closed.complete(null);
  }

  @Override
  public String toString() {
    return "QuicConnection["
        + (dialer ? "to " : "from ")
        + peerId()
        + " "
        + channel.remoteSocketAddress()
        + " "
        + state
        + "]";
  }
}
