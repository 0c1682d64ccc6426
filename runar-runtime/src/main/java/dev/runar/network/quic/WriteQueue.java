package dev.runar.network.quic;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's outgoing lane traffic, written in batches: operations queued from any thread run
 * together on the connection's event loop, each stream they wrote to is flushed once at the end,
 * and so the frames of many calls leave in the same packets (as grpc-java's {@code WriteQueue}
 * batches HTTP/2 frames). Netty's QUIC codec sends at once for a write made outside its read loop,
 * so without this each call from an application thread would cost a packet and a system call.
 *
 * <p>While a lane is being read ({@link #holdForRead}), operations queued on the event loop wait
 * for the read's end ({@link #readEnded}), so the replies of direct handlers to a packet's worth of
 * requests are encoded into one buffer and written once, not once each.
 *
 * <p>Threading: {@link #enqueue} from any thread; operations run on the event loop, in the order
 * they were queued. {@link #holdForRead} and {@link #readEnded} on the event loop.
 */
final class WriteQueue {
  /** Frames up to this size made off the event loop are encoded by the thread that made them. */
  static final int ENCODED_AHEAD_BYTES = 16 * 1024;

  /** Work for the event loop; its writes go through {@code batch}, which flushes them once. */
  interface Op {
    void run(Batch batch);

    /** The event loop is gone and will never run this op. */
    default void abandon() {}
  }

  /**
   * What one drain writes: the frames for each stream, encoded at the end into one buffer per
   * stream and written and flushed once. Event loop only.
   */
  static final class Batch {
    private final List<QuicStreamChannel> streams = new ArrayList<>(4);
    private final List<List<OutboundFrame>> frames = new ArrayList<>(4);

    /** Queues {@code frame} for {@code stream}. */
    void write(QuicStreamChannel stream, OutboundFrame frame) {
      int i = streams.indexOf(stream);
      if (i < 0) {
        streams.add(stream);
        frames.add(new ArrayList<>());
        i = streams.size() - 1;
      }
      frames.get(i).add(frame);
    }

    /**
     * Writes and flushes what was queued so far; an op calls this before writing to a stream
     * directly, so that the frames queued before it go first.
     */
    void flush() {
      for (int i = 0; i < streams.size(); i++) {
        QuicStreamChannel stream = streams.get(i);
        if (!stream.isActive()) {
          continue;
        }
        stream.writeAndFlush(
            OutboundFrame.encode(stream.alloc(), frames.get(i)), stream.voidPromise());
      }
      streams.clear();
      frames.clear();
    }
  }

  private final EventLoop loop;
  private final Queue<Op> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Batch batch = new Batch();
  private final Runnable drain = this::drainTask;
  private boolean draining; // event loop
  private boolean heldForRead; // event loop

  WriteQueue(EventLoop loop) {
    this.loop = loop;
  }

  /**
   * {@code frame} as it should wait in this queue: one of up to {@link #ENCODED_AHEAD_BYTES} made
   * on another thread is encoded there and then, which spares the event loop (in a busy node the
   * busiest thread) all but a copy; larger ones, and those made on the event loop, are encoded when
   * written, straight into the outgoing buffer.
   */
  OutboundFrame prepared(OutboundFrame frame) {
    return frame.size() > ENCODED_AHEAD_BYTES || loop.inEventLoop()
        ? frame
        : OutboundFrame.encodedNow(frame);
  }

  /**
   * Queues {@code op} to run on the event loop with whatever else is queued. Any thread; on the
   * event loop itself (a handler that answered at once) it runs now, after what was queued, or at
   * the end of the lane read under way: writes made while the connection reads are sent together
   * when the read ends.
   */
  void enqueue(Op op) {
    queue.add(op);
    if (loop.inEventLoop()) {
      if (!draining && !heldForRead) { // else the drain under way, or the read's end, takes it
        drain();
      }
      return;
    }
    if (scheduled.compareAndSet(false, true)) {
      try {
        loop.execute(drain);
      } catch (RejectedExecutionException e) {
        Op left;
        while ((left = queue.poll()) != null) {
          left.abandon();
        }
      }
    }
  }

  /** A lane read is under way: what the event loop queues now waits for {@link #readEnded}. */
  void holdForRead() {
    heldForRead = true;
  }

  /** The lane read ended (or its lane closed): writes what it queued. */
  void readEnded() {
    heldForRead = false;
    if (!draining && !queue.isEmpty()) {
      drain();
    }
  }

  private void drainTask() {
    // Cleared first: an op queued while this drain runs schedules another, so none is stranded.
    scheduled.set(false);
    if (!draining) { // tasks run between reads, never inside one
      drain();
    }
  }

  private void drain() {
    draining = true;
    try {
      do {
        Op op;
        while ((op = queue.poll()) != null) {
          op.run(batch);
        }
        batch.flush(); // may run handlers that queue more: taken by the next round
      } while (!queue.isEmpty());
    } finally {
      draining = false;
    }
  }
}
