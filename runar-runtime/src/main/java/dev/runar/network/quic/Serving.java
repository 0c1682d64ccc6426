package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.internal.FailedPublisher;
import dev.runar.network.MessageLimit;
import dev.runar.network.Reply;
import dev.runar.network.WireStatus;
import dev.runar.wire.Frame;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The callee's side of a connection: serves the unary calls the peer sends on its lanes and on
 * streams of their own, and the streaming calls, and keeps what is running so that a {@code
 * Cancel}, a lane that closes or a graceful close can find it.
 *
 * <p>Threading: every method on the connection's event loop. A reply is built and encoded on the
 * thread that completes the handler's future and written through the {@link WriteQueue}.
 */
final class Serving implements LaneHandler.Listener {
  private final QuicConnection connection;
  private final QuicTransport transport;
  private final WriteQueue writes;

  // Event loop only.
  private final CallTable<Running> onLanes = new CallTable<>();

  /** Unary calls on lanes answered at once, whose replies are queued and not yet written. */
  private int answered;

  private final Map<Long, CompletableFuture<Reply>> onStreams = new HashMap<>();
  private final Set<QuicStreamChannel> streamingCalls = new HashSet<>();

  /** The streaming calls the peer opened, by stream id: its Cancel may name them. */
  private final Map<Long, CalleeStream> calleeStreams = new HashMap<>();

  /** Calls that arrived before the peer's Hello (see awaitingHandshake), in arrival order. */
  private final List<Runnable> awaitingHandshake = new ArrayList<>();

  static final int MAX_AWAITING_HANDSHAKE = 256;

  private final ByteBudget budget;
  private final AtomicInteger openInbound = new AtomicInteger();

  Serving(QuicConnection connection, QuicTransport transport, WriteQueue writes) {
    this.connection = connection;
    this.transport = transport;
    this.writes = writes;
    this.budget = new ByteBudget(transport.config().maxBufferedBytesPerConnection());
  }

  /** What this connection's streams may buffer in frames not yet complete. Any thread. */
  ByteBudget budget() {
    return budget;
  }

  /** Counts {@code stream}, which the peer opened, until it closes. */
  void trackInbound(QuicStreamChannel stream) {
    openInbound.incrementAndGet();
    stream.closeFuture().addListener(f -> openInbound.decrementAndGet());
  }

  /** Streams the peer opened that are not closed yet (its lanes and control stream included). */
  int openInboundStreams() {
    return openInbound.get();
  }

  /** Calls being served (unary either way, streaming calls' streams either way). */
  int running() {
    return onLanes.size() + answered + onStreams.size() + streamingCalls.size();
  }

  // ---- lanes ----

  @Override
  public void onFrame(QuicStreamChannel lane, Frame frame) {
    if (!frame.hasCancel()) {
      LaneHandler.Listener.super.onFrame(lane, frame);
      return;
    }
    Running call = onLanes.remove(frame.getCancel().getCallId());
    if (call != null) {
      call.response.cancel(false);
      connection.callEnded();
    }
  }

  @Override
  public void onClosed(QuicStreamChannel lane, Status why) {
    List<Running> gone = new ArrayList<>();
    onLanes.values().removeIf(c -> c.lane == lane && gone.add(c));
    gone.forEach(c -> c.response.cancel(false)); // the caller went away: nobody wants the replies
    connection.callEnded();
  }

  @Override
  public void onRequest(QuicStreamChannel lane, Request request) {
    long id = request.getCallId();
    if (!connection.servesCalls()) {
      long arrived = System.nanoTime();
      if (!awaitingHandshake(() -> onRequest(lane, waited(request, arrived)))) {
        replyNow(lane, id, WireStatus.toResponse(WireStatus.notStarted(connection.unavailable())));
      }
      return;
    }
    Optional<Status> tooLarge =
        WireStatus.tooLarge(transport.limit(), "request", request.getPayload().size());
    if (tooLarge.isPresent()) {
      replyNow(lane, id, WireStatus.toResponse(tooLarge.get()));
      return;
    }
    if (id == 0 || onLanes.containsKey(id)) {
      replyNow(lane, id, WireStatus.toResponse(Status.INVALID_ARGUMENT.withDescription("call id")));
      return;
    }
    CompletableFuture<Reply> response = handle(request);
    if (response.isDone() && !response.isCompletedExceptionally()) {
      // Answered already (a handler run inline): nothing to cancel, so nothing to look up.
      OutboundFrame frame =
          LaneFrames.response(
              InboundCalls.outcome(response.join(), null, connection.replyLimit()), id);
      answered++;
      writes.enqueue(
          batch -> {
            answered--;
            batch.write(lane, frame);
            connection.callEnded();
          });
      return;
    }
    Running call = new Running(lane, response);
    onLanes.put(id, call);
    MessageLimit replyLimit = connection.replyLimit();
    response.whenComplete(
        (reply, error) -> {
          OutboundFrame frame =
              writes.prepared(
                  LaneFrames.response(InboundCalls.outcome(reply, error, replyLimit), id));
          writes.enqueue(
              batch -> {
                if (onLanes.get(id) == call) { // else cancelled: nobody waits for it
                  onLanes.remove(id);
                  batch.write(lane, frame);
                  connection.callEnded();
                }
              });
        });
  }

  private void replyNow(QuicStreamChannel lane, long id, Response response) {
    OutboundFrame frame = LaneFrames.response(Reply.of(response), id);
    writes.enqueue(batch -> batch.write(lane, frame));
  }

  private CompletableFuture<Reply> handle(Request request) {
    try {
      return transport.handler().onRequest(connection, request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---- a unary call on a stream of its own ----

  /**
   * Serves the unary request the peer opened {@code stream} with, until its reply is written or the
   * stream closes.
   */
  void serveOnStream(QuicStreamChannel stream, Request request) {
    if (!connection.servesCalls()) {
      long arrived = System.nanoTime();
      if (!awaitingHandshake(() -> serveOnStream(stream, waited(request, arrived)))) {
        InboundCalls.reply(
            stream, WireStatus.toResponse(WireStatus.notStarted(connection.unavailable())));
      }
      return;
    }
    Optional<Status> tooLarge =
        WireStatus.tooLarge(transport.limit(), "request", request.getPayload().size());
    if (tooLarge.isPresent()) {
      InboundCalls.reply(stream, WireStatus.toResponse(tooLarge.get()));
      return;
    }
    long id = stream.streamId();
    CompletableFuture<Reply> response = handle(request);
    onStreams.put(id, response);
    CompletableFuture<Void> done = new CompletableFuture<>();
    done.whenComplete(
        (v, e) ->
            stream
                .eventLoop()
                .execute(
                    () -> {
                      onStreams.remove(id);
                      connection.callEnded();
                    }));
    InboundCalls.serve(stream, response, connection.replyLimit(), done);
  }

  /**
   * The peer cancelled the call, unary or streaming, it opened stream {@code streamId} for, saying
   * {@code reason}.
   */
  void cancelStreamCall(long streamId, String reason) {
    // Unknown ids are ignored: the call already ended, or its request has not arrived yet
    // (streams are not ordered with each other); then it runs until its reply is written (the
    // caller reads and drops it) or until its deadline.
    CompletableFuture<Reply> call = onStreams.get(streamId);
    if (call != null) {
      call.cancel(false);
    }
    CalleeStream streaming = calleeStreams.get(streamId);
    if (streaming != null) { // a Cancel on the stream itself may wait there behind flow control
      streaming.cancelledByCaller(reason);
    }
  }

  // ---- streaming calls ----

  /** Serves a streaming call the peer opened {@code stream} with. Event loop. */
  void serveStream(QuicStreamChannel stream, Request header) {
    CalleeStream call =
        new CalleeStream(
            stream,
            transport.limit(),
            transport.callbacks(),
            transport.config().firstFrameTimeout());
    stream.pipeline().replace(InboundStreamHandler.class, "call", call);
    trackStreamingCall(stream);
    long id = stream.streamId();
    calleeStreams.put(id, call);
    stream.closeFuture().addListener(f -> calleeStreams.remove(id));
    start(call, header);
  }

  private void start(CalleeStream call, Request header) {
    if (!connection.servesCalls()) {
      long arrived = System.nanoTime();
      if (!awaitingHandshake(() -> start(call, waited(header, arrived)))) {
        new FailedPublisher<com.google.protobuf.ByteString>(
                WireStatus.notStarted(connection.unavailable()).asException())
            .subscribe(call.outbound());
      }
      return;
    }
    transport.handler().onStream(connection, header, call);
  }

  /**
   * Whether a call that arrived before this dialer opened the connection waits for that, and then
   * goes through {@code serve} again (on the event loop, in the order the calls came). A dialer
   * opens on the peer's Hello, and the peer, open since it sent it, may call at once: when the
   * packet with its Hello is lost, a call sent after it arrives first. At most {@link
   * #MAX_AWAITING_HANDSHAKE} calls wait, for no longer than the handshake's deadline, and the wait
   * counts against each call's time left; an acceptor (whose peer calls only once both sides are
   * open) waits for none.
   */
  private boolean awaitingHandshake(Runnable serve) {
    if (!connection.isDialer()
        || connection.state() != QuicConnection.State.HANDSHAKING
        || awaitingHandshake.size() >= MAX_AWAITING_HANDSHAKE) {
      return false;
    }
    if (awaitingHandshake.isEmpty()) {
      connection
          .handshake()
          .whenComplete(
              (c, e) -> {
                EventLoop loop = connection.channel().eventLoop();
                if (loop.inEventLoop()) {
                  handshakeEnded(); // before any call that arrives once the connection is open
                } else {
                  loop.execute(this::handshakeEnded);
                }
              });
    }
    awaitingHandshake.add(serve);
    return true;
  }

  /** {@code request} with the time it waited for the handshake taken off the time it has left. */
  private static Request waited(Request request, long arrivedNanos) {
    long waitedMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - arrivedNanos);
    return waitedMicros == 0
        ? request
        : request.toBuilder().setTimeoutMicros(request.getTimeoutMicros() - waitedMicros).build();
  }

  private void handshakeEnded() {
    List<Runnable> waited = List.copyOf(awaitingHandshake);
    awaitingHandshake.clear();
    waited.forEach(Runnable::run);
  }

  /**
   * Counts a streaming call's stream, either way, until it closes: a graceful close waits for
   * streaming calls as it does for unary ones.
   */
  void trackStreamingCall(QuicStreamChannel stream) {
    streamingCalls.add(stream);
    stream
        .closeFuture()
        .addListener(
            f -> {
              streamingCalls.remove(stream);
              connection.callEnded();
            });
  }

  /** A unary call on a lane: the lane it came on (for its reply) and the handler's future. */
  private record Running(QuicStreamChannel lane, CompletableFuture<Reply> response) {}
}
