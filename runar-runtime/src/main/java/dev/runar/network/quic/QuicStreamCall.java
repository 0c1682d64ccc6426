package dev.runar.network.quic;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.runar.Status;
import dev.runar.internal.Demand;
import dev.runar.internal.FailedPublisher;
import dev.runar.network.CallStream;
import dev.runar.network.MessageLimit;
import dev.runar.network.ReplyMetadata;
import dev.runar.network.WireStatus;
import dev.runar.wire.Frame;
import dev.runar.wire.Response;
import dev.runar.wire.StreamMessage;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A streaming call on one QUIC stream of its own: what the caller's ({@link CallerStream}) and the
 * callee's ({@link CalleeStream}) sides share. The stream does not read on its own ({@code
 * autoRead} off): it reads when nothing is buffered and the inbound subscriber has demand (the
 * caller also without: {@link #readsAhead}), so unread data stays in QUIC's receive window and the
 * peer's sender stalls. Outbound, it asks its publisher for messages only while the stream is
 * writable and less than {@link #MAX_QUEUED_BYTES} wait in the connection's {@link WriteQueue},
 * through which messages go so that those written in one event-loop turn share packets. It asks for
 * a few ahead ({@link #outboundWindow}): as many as the largest message so far fits into {@link
 * #MAX_QUEUED_BYTES}, at most {@link #MAX_OUTBOUND_AHEAD}, so that a producer does not wait for a
 * round of thread hand-offs after every message (100-byte messages: one at a time 41k-70k a second,
 * 8 ahead 160k-245k, 16 ahead 226k-405k).
 *
 * <p>Threading: all state lives on one sequential executor over the node's callback executor
 * ({@code loop}, never the event loop, since subscribers' signals must not run on an I/O thread):
 * channel events hop onto it, and so do the subscribers' signals. Only the count of bytes queued
 * for the event loop (and whether the loop waits for it to fall) is shared with the event loop,
 * through atomics.
 */
abstract class QuicStreamCall extends ChannelInboundHandlerAdapter implements CallStream {
  /** Bytes of messages queued for the event loop beyond which the publisher is not asked again. */
  private static final int MAX_QUEUED_BYTES = 64 * 1024;

  /** Messages asked of the publisher and not yet arrived, at most. */
  private static final int MAX_OUTBOUND_AHEAD = 16;

  final MessageLimit limit;
  final Executor loop;
  final ReplyMetadata reply;
  private final List<Runnable> beforeChannel = new ArrayList<>();
  volatile QuicStreamChannel channel;
  private volatile WriteQueue writes;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean waitingForQueue = new AtomicBoolean();
  private boolean settled; // guarded by beforeChannel: the stream opened, or failed to

  /** The call ended on this side: what still arrives is dropped on the event loop. */
  private volatile boolean discarding;

  /** No one reads messages any more: those still arriving are dropped on the event loop. */
  volatile boolean droppingMessages;

  // Confined to `loop`.
  private final ArrayDeque<ByteString> received = new ArrayDeque<>();
  private Flow.Subscriber<? super ByteString> inboundSubscriber;
  private long demand;
  private boolean reading;
  private Status inboundEnd;
  boolean inboundSignalled;
  private Flow.Subscription outboundSubscription;
  private int outboundRequested; // asked of the publisher and not yet arrived
  private int largestOutbound; // bytes, of the largest message sent so far
  private boolean outboundDone;
  boolean finished;
  private boolean headersWritten;

  QuicStreamCall(MessageLimit limit, Executor callbacks, ReplyMetadata reply) {
    this.limit = limit;
    this.loop = MoreExecutors.newSequentialExecutor(callbacks);
    this.reply = reply;
  }

  @Override
  public ReplyMetadata replyMetadata() {
    return reply;
  }

  /** Whether this side sends the response headers (on its first message): the callee. */
  abstract boolean sendsHeaders();

  // ---- what the two sides do differently (all on `loop`) ----

  /** The status the call ends with when its stream closes first. */
  abstract Status streamClosedStatus();

  /** Handles a frame other than a message: a Response (caller) or a HalfClose (callee). */
  abstract void onControlFrame(Frame frame);

  /** The inbound subscriber cancelled. Any thread. */
  abstract void inboundCancelled();

  /** The outbound publisher completed. */
  abstract void outboundCompleted();

  /** Tells the peer the call ends with {@code status} (a failure). */
  abstract void tellPeer(QuicStreamChannel stream, Status status);

  /** The inbound side signalled its end to the subscriber. */
  void inboundEnded() {}

  /**
   * Whether the stream reads while nothing is buffered even when its subscriber wants nothing yet:
   * one read ahead, so that the call's end reaches it without demand.
   */
  abstract boolean readsAhead();

  // ---- channel events (event loop) → loop ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    QuicConnection connection = ctx.channel().parent().attr(QuicConnection.KEY).get();
    if (connection != null) {
      connection.heard();
    }
    if (discarding || (droppingMessages && msg instanceof Frame frame && frame.hasMessage())) {
      return; // else a peer that sends on would fill the callback executor's queue with them
    }
    loop.execute(() -> onFrame(msg));
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (discarding) {
      return;
    }
    loop.execute(
        () -> {
          reading = false;
          pump();
        });
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    loop.execute(this::requestOutbound);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    loop.execute(() -> fail(streamClosedStatus()));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof QuicStreamResetException) {
      if (discarding) {
        return; // this side ended the call: what it sent still goes, and the stream ends after
      }
      // The peer abandoned the stream: nothing more will arrive, and nothing sent would be read.
      QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
      stream.shutdownOutput(InboundStreamHandler.ABANDONED_STREAM).addListener(f -> stream.close());
      loop.execute(() -> fail(streamClosedStatus()));
      return;
    }
    loop.execute(
        () -> fail(Status.INTERNAL.withDescription("malformed frame: " + cause.getMessage())));
  }

  /** The caller could not open a stream at all: the call fails, and so does all that waited. */
  void failToOpen(Status status) {
    loop.execute(() -> fail(status));
    settle(null);
  }

  void attach(QuicStreamChannel stream) {
    writes = stream.parent().attr(QuicConnection.KEY).get().writes();
    opened(stream);
    settle(stream);
  }

  /** The stream is there and nothing is written yet: the caller queues its header here. */
  void opened(QuicStreamChannel stream) {}

  private void settle(QuicStreamChannel stream) {
    List<Runnable> pending;
    synchronized (beforeChannel) {
      channel = stream;
      settled = true;
      pending = new ArrayList<>(beforeChannel);
      beforeChannel.clear();
    }
    pending.forEach(loop::execute);
  }

  /** Runs {@code op} on the loop once the stream exists, or failed to open. */
  void withChannel(Runnable op) {
    synchronized (beforeChannel) {
      if (!settled) {
        beforeChannel.add(op);
        return;
      }
    }
    loop.execute(op);
  }

  // ---- frames (loop) ----

  private void onFrame(Object msg) {
    if (finished) {
      return;
    }
    if (msg instanceof FrameCodec.Oversized oversized) {
      fail(Status.RESOURCE_EXHAUSTED.withDescription(oversized.describe("stream message")));
      return;
    }
    Frame frame = (Frame) msg;
    switch (frame.getKindCase()) {
      case MESSAGE -> {
        if (inboundSignalled) {
          return; // no one reads requests any more: neither their size nor their headers matter
        }
        ByteString payload = frame.getMessage().getPayload();
        Optional<Status> tooLarge = WireStatus.tooLarge(limit, "stream message", payload.size());
        if (tooLarge.isPresent()) {
          fail(tooLarge.get());
          return;
        }
        reply.readHeaders(frame.getMessage());
        received.add(payload);
      }
      case RESPONSE, HALF_CLOSE -> onControlFrame(frame);
      case CANCEL -> fail(cancelledByCallerStatus(frame.getCancel().getReason()));
      default ->
          fail(
              Status.INTERNAL.withDescription(
                  "protocol error: " + frame.getKindCase() + " on a call stream"));
    }
    pump();
  }

  // ---- inbound ----

  @Override
  public Flow.Publisher<ByteString> inbound() {
    return subscriber ->
        withChannel(
            () -> {
              if (inboundSubscriber != null) {
                new FailedPublisher<ByteString>(new IllegalStateException("one subscriber only"))
                    .subscribe(subscriber);
                return;
              }
              inboundSubscriber = subscriber;
              subscriber.onSubscribe(
                  new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                      loop.execute(
                          () -> {
                            if (n <= 0) {
                              refuseDemand(Demand.nonPositive(n));
                              return;
                            }
                            demand = Demand.add(demand, n);
                            pump();
                          });
                    }

                    @Override
                    public void cancel() {
                      inboundCancelled();
                    }
                  });
              pump();
            });
  }

  /** The subscriber asked for {@code n <= 0}: it gets the error, and then nothing. Loop. */
  private void refuseDemand(IllegalArgumentException error) {
    if (inboundSignalled) {
      return;
    }
    inboundSignalled = true;
    received.clear();
    inboundSubscriber.onError(error);
    inboundCancelled();
  }

  /**
   * Delivers what is buffered and wanted; reads more when nothing is buffered and some is wanted,
   * or when this side {@link #readsAhead}.
   */
  private void pump() {
    if (inboundSubscriber == null || inboundSignalled) {
      return;
    }
    while (demand > 0 && !received.isEmpty()) {
      demand--;
      inboundSubscriber.onNext(received.poll());
      if (inboundSignalled) {
        return; // the subscriber cancelled from onNext
      }
    }
    if (received.isEmpty() && inboundEnd != null) {
      inboundSignalled = true;
      if (inboundEnd.isOk()) {
        inboundSubscriber.onComplete();
      } else {
        inboundSubscriber.onError(inboundEnd.asException());
      }
      inboundEnded();
    } else if ((demand > 0 || readsAhead())
        && received.isEmpty()
        && !reading
        && channel != null
        && channel.isActive()) {
      reading = true;
      channel.read();
    }
  }

  static Status cancelledByCallerStatus(String reason) {
    return Status.CANCELLED.withDescription("the caller cancelled: " + reason);
  }

  /** Whether the inbound side has not ended yet (no HalfClose, Cancel or failure). Loop. */
  boolean inboundOpen() {
    return inboundEnd == null;
  }

  /** Drops what was received and not delivered. Loop. */
  void dropReceived() {
    received.clear();
  }

  /** The inbound side ends with {@code status}: a failure here drops what was not delivered. */
  void endInbound(Status status) {
    endInboundAfter(status);
    if (!status.isOk()) {
      received.clear(); // a failed call delivers no more messages
    }
  }

  /** The peer ended the call with {@code status}: delivered after the messages it sent before. */
  void endInboundAfter(Status status) {
    if (inboundEnd == null) {
      inboundEnd = status;
    }
  }

  // ---- outbound ----

  @Override
  public Flow.Subscriber<ByteString> outbound() {
    return new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        withChannel(
            () -> {
              outboundSubscription = s;
              if (finished) {
                s.cancel();
              } else {
                requestOutbound();
              }
            });
      }

      @Override
      public void onNext(ByteString message) {
        withChannel(
            () -> {
              outboundRequested = Math.max(0, outboundRequested - 1);
              if (finished) {
                return;
              }
              Optional<Status> tooLarge =
                  WireStatus.tooLarge(limit, "stream message", message.size());
              if (tooLarge.isPresent()) {
                fail(tooLarge.get());
                return;
              }
              largestOutbound = Math.max(largestOutbound, Math.max(1, message.size()));
              StreamMessage.Builder frame = StreamMessage.newBuilder().setPayload(message);
              send(
                  channel,
                  OutboundFrame.of(
                      Frame.newBuilder()
                          .setMessage(reply.writeHeaders(frame, sendsHeaders() && !headersWritten))
                          .build()));
              headersWritten = true;
              requestOutbound();
            });
      }

      @Override
      public void onError(Throwable error) {
        withChannel(
            () -> {
              outboundDone = true;
              fail(Status.fromThrowable(error));
            });
      }

      @Override
      public void onComplete() {
        withChannel(
            () -> {
              outboundDone = true;
              if (!finished) {
                outboundCompleted();
              }
            });
      }
    };
  }

  /** Queues one encoded message for the event loop. */
  void send(QuicStreamChannel stream, OutboundFrame frame) {
    int size = frame.size();
    queuedBytes.addAndGet(size);
    writes.enqueue(
        batch -> {
          batch.write(stream, frame);
          if (queuedBytes.addAndGet(-size) < MAX_QUEUED_BYTES
              && waitingForQueue.compareAndSet(true, false)) {
            loop.execute(this::requestOutbound);
          }
        });
  }

  private void requestOutbound() {
    Flow.Subscription s = outboundSubscription;
    int window = outboundWindow();
    if (s != null
        && outboundRequested < window
        && !outboundDone
        && !finished
        && channel != null
        && channel.isWritable()
        && queueHasRoom()) {
      int more = window - outboundRequested;
      outboundRequested = window;
      s.request(more);
    }
  }

  /**
   * How many messages may be asked for ahead: one until a message shows their size, then as many as
   * the largest so far fits into {@link #MAX_QUEUED_BYTES} (so the queue holds at most about twice
   * that while sizes stay alike), between 1 and {@link #MAX_OUTBOUND_AHEAD}.
   */
  private int outboundWindow() {
    if (largestOutbound == 0) {
      return 1;
    }
    return Math.max(1, Math.min(MAX_OUTBOUND_AHEAD, MAX_QUEUED_BYTES / largestOutbound));
  }

  /**
   * Runs {@code write} on the event loop once the messages queued before it are written: for the
   * frames written to the stream directly (the end of the call, a cancel), which must follow them.
   */
  void afterQueued(Runnable write) {
    writes.enqueue(
        batch -> {
          batch.flush();
          write.run();
        });
  }

  /** Whether another message may be queued; if not, the queue's drain asks again. */
  private boolean queueHasRoom() {
    if (queuedBytes.get() < MAX_QUEUED_BYTES) {
      return true;
    }
    waitingForQueue.set(true);
    // The queue may have drained in between, without seeing the flag: look once more.
    return queuedBytes.get() < MAX_QUEUED_BYTES && waitingForQueue.compareAndSet(true, false);
  }

  void cancelOutbound() {
    Flow.Subscription s = outboundSubscription;
    if (s != null && !outboundDone) {
      outboundDone = true;
      s.cancel();
    }
  }

  // ---- ending ----

  @Override
  public void cancel() {
    withChannel(() -> fail(Status.CANCELLED.withDescription("cancelled")));
  }

  /** Ends the call with {@code status}: both directions stop, and the peer is told. Loop. */
  void fail(Status status) {
    if (finished) {
      return;
    }
    finished = true;
    endInbound(status);
    cancelOutbound();
    QuicStreamChannel stream = channel;
    if (stream != null && stream.isActive()) {
      tellPeer(stream, status);
    }
    pump();
  }

  /**
   * Ends the call on the stream with its final status ({@code Response}, FIN), then reads what the
   * caller still sends, dropping it, up to the caller's FIN: QUIC retires a stream, and Netty
   * closes its channel, once each side has read the other's FIN. A caller that has not ended its
   * side {@code within} the time after all this side sent was handed to QUIC has its side stopped
   * (never this side's: a slow reader still gets every message and the status). Callee.
   */
  void sendTrailer(Status status, Duration within) {
    Response trailer =
        status.isOk() ? Response.getDefaultInstance() : WireStatus.toResponse(status);
    Response end = reply.writeEnd(trailer, headersWritten);
    QuicStreamChannel stream = channel;
    afterQueued(
        () -> {
          ChannelFuture sent = InboundCalls.reply(stream, end);
          discarding = true;
          stream.config().setAutoRead(true);
          sent.addListener(
              f -> {
                if (f.isSuccess()) {
                  stopReadingUnlessClosedWithin(stream, within);
                } else {
                  stream.close(); // the stream broke: nothing more goes either way
                }
              });
        });
  }

  /** Stops {@code stream}'s input and closes it unless it closed {@code within} the time. */
  private static void stopReadingUnlessClosedWithin(QuicStreamChannel stream, Duration within) {
    unlessClosedWithin(
        stream,
        within,
        () ->
            stream
                .shutdownInput(InboundStreamHandler.ABANDONED_STREAM)
                .addListener(f -> stream.close()));
  }

  /**
   * This side is done with the call and has sent its FIN: reads what the peer still sends, dropping
   * it, until the peer's FIN closes the stream (reading it also gives QUIC back the connection's
   * flow-control credit those bytes took). Event loop.
   */
  void discardUntilPeerEnds(QuicStreamChannel stream, Duration within) {
    discarding = true;
    stream.config().setAutoRead(true);
    resetUnlessClosedWithin(stream, within);
  }

  /**
   * Resets {@code stream} both ways and closes it unless it closed {@code within} the time: for a
   * side that gave the call up, which wants nothing more of it.
   */
  static void resetUnlessClosedWithin(QuicStreamChannel stream, Duration within) {
    unlessClosedWithin(
        stream,
        within,
        () -> {
          stream.shutdown(InboundStreamHandler.ABANDONED_STREAM);
          stream.close();
        });
  }

  private static void unlessClosedWithin(
      QuicStreamChannel stream, Duration within, Runnable action) {
    ScheduledFuture<?> timeout =
        stream.eventLoop().schedule(action, within.toNanos(), TimeUnit.NANOSECONDS);
    stream.closeFuture().addListener(f -> timeout.cancel(false));
  }
}
