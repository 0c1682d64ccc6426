package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.Payload;
import dev.runar.network.ResponseListener;
import dev.runar.network.SentCall;
import dev.runar.network.WireStatus;
import dev.runar.wire.Cancel;
import dev.runar.wire.Frame;
import dev.runar.wire.LaneOpen;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The caller's side of unary calls on lanes: a few long-lived streams this side opens (lazily, on
 * their first call) on which each call is one {@code Request} frame tagged with a call id, answered
 * by one {@code Response} frame with the same id, in any order. A call costs a frame instead of a
 * QUIC stream, and the frames of many calls share packets ({@link WriteQueue}). Cancelling a call
 * (its {@link SentCall}) sends {@code Cancel{call_id}} on its lane.
 *
 * <p>Threading: {@link #call} from any thread (it encodes the request there); all other methods and
 * all state on the connection's event loop. Listeners hear outcomes on the callback executor, a
 * cancelled call's on the thread that cancelled it.
 */
final class CallerLanes implements LaneHandler.Listener {
  /**
   * Lanes per connection and direction: calls go round-robin by call id. Measured under 1% packet
   * loss: one lane holds every call up behind a lost packet (twice the p99 of two); four cut the
   * tail no further and cost a quarter of the throughput (docs/performance.md, "Design numbers").
   */
  static final int LANES = 2;

  /**
   * Requests whose payload is larger take a stream of their own, so that one large message never
   * holds up the small calls queued behind it on a lane. Measured: 48 KiB and 128 KiB calls run as
   * fast on a lane as on a stream, but small calls beside 128 KiB ones on their lanes had a sixth
   * to a third higher p99 (docs/performance.md, "Design numbers").
   */
  static final int MAX_LANE_PAYLOAD = 64 * 1024;

  private final QuicConnection connection;
  private final WriteQueue writes;
  private final Executor callbacks;
  private final AtomicLong ids = new AtomicLong();

  // Event loop only.
  private final CallTable<LaneCall> pending = new CallTable<>();
  private final Lane[] lanes = new Lane[LANES];

  CallerLanes(QuicConnection connection, WriteQueue writes, Executor callbacks) {
    this.connection = connection;
    this.writes = writes;
    this.callbacks = callbacks;
  }

  /**
   * Sends {@code header} with {@code timeoutMicros} and {@code payload} on a lane; {@code listener}
   * hears the outcome. Any thread.
   */
  SentCall call(Request header, long timeoutMicros, Payload payload, ResponseListener listener) {
    LaneCall call = new LaneCall(ids.incrementAndGet(), listener);
    OutboundFrame frame =
        writes.prepared(LaneFrames.request(header, timeoutMicros, payload, call.id));
    writes.enqueue(
        new WriteQueue.Op() {
          @Override
          public void run(WriteQueue.Batch batch) {
            start(batch, call, frame);
          }

          @Override
          public void abandon() {
            fail(call, notStarted("the transport stopped"));
          }
        });
    return call;
  }

  private void start(WriteQueue.Batch batch, LaneCall call, OutboundFrame frame) {
    if (call.settled()) {
      return; // cancelled before it was sent
    }
    if (!connection.isOpen()) {
      fail(call, WireStatus.notStarted(connection.unavailable()));
      return;
    }
    Lane lane = lane((int) (call.id % LANES));
    call.lane = lane;
    pending.put(call.id, call);
    lane.write(batch, frame);
  }

  private void giveUp(WriteQueue.Batch batch, LaneCall call) {
    if (pending.remove(call.id) == null) {
      return;
    }
    Lane lane = call.lane;
    if (lane.channel != null) {
      Frame cancel =
          Frame.newBuilder()
              .setCancel(
                  Cancel.newBuilder().setCallId(call.id).setReason("cancelled by the caller"))
              .build();
      batch.write(lane.channel, OutboundFrame.of(cancel));
    }
    connection.callEnded();
  }

  private Lane lane(int index) {
    Lane lane = lanes[index];
    if (lane == null) {
      lane = new Lane();
      lanes[index] = lane;
      open(lane);
    }
    return lane;
  }

  private void open(Lane lane) {
    connection
        .channel()
        .createStream(
            QuicStreamType.BIDIRECTIONAL, connection.transport().pipelines().lane(connection, this))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                lane.waiting.clear();
                failLane(
                    lane,
                    WireStatus.notStarted(
                        connection
                            .unavailable()
                            .withDescription("could not open a lane to " + connection.peerId())));
                return;
              }
              QuicStreamChannel channel = (QuicStreamChannel) f.getNow();
              lane.channel = channel;
              lane.waiting.add(0, LANE_OPEN);
              channel.writeAndFlush(
                  OutboundFrame.encode(channel.alloc(), lane.waiting), channel.voidPromise());
              lane.waiting.clear();
            });
  }

  private static final OutboundFrame LANE_OPEN =
      OutboundFrame.of(Frame.newBuilder().setLaneOpen(LaneOpen.getDefaultInstance()).build());

  @Override
  public void onResponse(QuicStreamChannel channel, Response response) {
    LaneCall call = pending.remove(response.getCallId());
    if (call == null) {
      return; // the caller gave up on it: the Cancel and the reply crossed
    }
    if (call.settle()) {
      call.response = response;
      complete(call);
    }
    connection.callEnded();
  }

  @Override
  public void onClosed(QuicStreamChannel channel, Status why) {
    for (int i = 0; i < LANES; i++) {
      Lane lane = lanes[i];
      if (lane != null && lane.channel == channel) {
        lanes[i] = null;
        failLane(lane, connection.isOpen() ? why : connection.unavailable());
      }
    }
  }

  /** Fails the calls sent on {@code lane} with {@code status}: nobody will answer them there. */
  private void failLane(Lane lane, Status status) {
    for (int i = 0; i < LANES; i++) {
      if (lanes[i] == lane) {
        lanes[i] = null;
      }
    }
    List<LaneCall> lost = new ArrayList<>();
    pending.values().removeIf(c -> c.lane == lane && lost.add(c));
    lost.forEach(c -> fail(c, status));
    connection.callEnded();
  }

  /** The connection closed: every call still waiting fails with {@code reason}. */
  void failAll(Status reason) {
    List<LaneCall> lost = new ArrayList<>(pending.values());
    pending.clear();
    lost.forEach(c -> fail(c, reason));
  }

  /** Calls sent and not answered yet. */
  int inFlight() {
    return pending.size();
  }

  private void fail(LaneCall call, Status status) {
    if (call.settle()) {
      call.failure = status.asException();
      complete(call);
    }
  }

  private Status notStarted(String why) {
    return WireStatus.notStarted(Status.UNAVAILABLE.withDescription(why));
  }

  private void complete(LaneCall call) {
    try {
      callbacks.execute(call);
    } catch (RejectedExecutionException e) {
      call.run();
    }
  }

  /** A lane this side opened: its stream once open, and what waits to be written until then. */
  private static final class Lane {
    QuicStreamChannel channel;
    final List<OutboundFrame> waiting = new ArrayList<>();

    void write(WriteQueue.Batch batch, OutboundFrame frame) {
      if (channel != null) {
        batch.write(channel, frame);
      } else {
        waiting.add(frame);
      }
    }
  }

  /**
   * One call: its id, its lane once sent, and how its listener hears the outcome (it runs as the
   * callback that tells it). Cancelled by its caller before this side settled it, it tells the peer
   * with a {@code Cancel}.
   */
  private final class LaneCall implements SentCall, Runnable {
    private static final VarHandle SETTLED;

    static {
      try {
        SETTLED = MethodHandles.lookup().findVarHandle(LaneCall.class, "settled", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long id;
    final ResponseListener listener;
    Lane lane; // event loop

    /** Set before the callback that tells the listener is handed over; one of the two. */
    Response response;

    Throwable failure;

    private volatile boolean settled; // set through SETTLED

    LaneCall(long id, ResponseListener listener) {
      this.id = id;
      this.listener = listener;
    }

    /** Claims the call's one outcome: true for the first to ask. */
    boolean settle() {
      return SETTLED.compareAndSet(this, false, true);
    }

    boolean settled() {
      return settled;
    }

    @Override
    public void cancel() {
      if (settle()) {
        writes.enqueue(batch -> giveUp(batch, this));
        listener.onFailure(new CancellationException("cancelled by the caller"));
      }
    }

    @Override
    public void run() {
      if (failure == null) {
        listener.onResponse(response);
      } else {
        listener.onFailure(failure);
      }
    }
  }
}
