package dev.runar.network.quic;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of frames that have not fully arrived one connection may hold, over all its
 * streams. A stream's decoder reserves a frame's whole length as soon as its header arrives, before
 * buffering the rest, and releases it when the frame is complete or the stream ends; a frame that
 * does not fit is refused (its stream is reset with RESOURCE_EXHAUSTED), so a peer that announces
 * large frames and never finishes them cannot pin more than the budget.
 *
 * <p>Thread-safe.
 */
final class ByteBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  ByteBudget(long capacity) {
    this.capacity = capacity;
  }

  /** Reserves {@code bytes} if they fit; returns whether they did. */
  boolean tryReserve(long bytes) {
    while (true) {
      long current = used.get();
      if (current + bytes > capacity) {
        return false;
      }
      if (used.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  long used() {
    return used.get();
  }

  long capacity() {
    return capacity;
  }
}
