package dev.runar.network.quic;

import io.netty.buffer.ByteBuf;
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
 * <p>Threading: {@link #enqueue} from any thread; operations run on the event loop, in the order
 * they were queued.
 */
final class WriteQueue {
  /** Work for the event loop; its writes go through {@code batch}, which flushes them once. */
  interface Op {
    void run(Batch batch);

    /** The event loop is gone and will never run this op. */
    default void abandon() {}
  }

  /** The streams one drain wrote to. Event loop only. */
  static final class Batch {
    private final List<QuicStreamChannel> written = new ArrayList<>(4);

    /** Writes {@code bytes} (which it takes ownership of) to {@code stream}; flushed at the end. */
    void write(QuicStreamChannel stream, ByteBuf bytes) {
      if (!stream.isActive()) {
        bytes.release();
        return;
      }
      stream.write(bytes, stream.voidPromise());
      if (!written.contains(stream)) {
        written.add(stream);
      }
    }

    private void flush() {
      for (QuicStreamChannel stream : written) {
        stream.flush();
      }
      written.clear();
    }
  }

  private final EventLoop loop;
  private final Queue<Op> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Batch batch = new Batch();
  private final Runnable drain = this::drain;

  WriteQueue(EventLoop loop) {
    this.loop = loop;
  }

  /** Queues {@code op} to run on the event loop with whatever else is queued. Any thread. */
  void enqueue(Op op) {
    queue.add(op);
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

  private void drain() {
    // Cleared first: an op queued while this drain runs schedules another, so none is stranded.
    scheduled.set(false);
    Op op;
    while ((op = queue.poll()) != null) {
      op.run(batch);
    }
    batch.flush();
  }
}
