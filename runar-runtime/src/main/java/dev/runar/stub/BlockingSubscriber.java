package dev.runar.stub;

import dev.runar.BlockingStream;
import dev.runar.Metadata;
import dev.runar.Status;
import dev.runar.StatusException;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Subscribes to a publisher and offers its items as a {@link BlockingStream}. Requests {@value
 * #PREFETCH} items up front and more as they are read, so at most that many wait in its buffer.
 *
 * @param <T> the item type
 */
public final class BlockingSubscriber<T> implements Flow.Subscriber<T>, BlockingStream<T> {
  static final int PREFETCH = 32;
  private static final Object COMPLETE = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private int consumedSinceRequest;
  private Object next;
  private boolean done;
  private volatile boolean closed;

  /** Subscribes to {@code publisher} and returns the stream over its items. */
  public static <T> BlockingSubscriber<T> subscribe(Flow.Publisher<T> publisher) {
    BlockingSubscriber<T> subscriber = new BlockingSubscriber<>();
    publisher.subscribe(subscriber);
    return subscriber;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    synchronized (this) {
      if (subscription != null) {
        s.cancel(); // a second subscription is refused, the first kept (rule 2.5)
        return;
      }
      subscription = s;
    }
    if (closed) {
      s.cancel();
    } else {
      s.request(PREFETCH);
    }
  }

  @Override
  public void onNext(T item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable error) {
    queue.add(new Failure(Status.fromThrowable(error), Status.trailersFromThrowable(error)));
  }

  @Override
  public void onComplete() {
    queue.add(COMPLETE);
  }

  @Override
  public boolean hasNext() {
    if (next == null && !done) {
      if (closed) {
        return false;
      }
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw Status.CANCELLED.withDescription("interrupted while reading a stream").asException();
      }
      if (next == COMPLETE) {
        done = true;
        next = null;
      }
    }
    return next != null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Object item = next;
    if (item instanceof Failure failure) {
      done = true; // the failure stays: every later call sees it
      throw new StatusException(failure.status(), failure.trailers());
    }
    next = null;
    if (++consumedSinceRequest >= PREFETCH / 2) {
      subscription.request(consumedSinceRequest);
      consumedSinceRequest = 0;
    }
    return (T) item;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (done) {
        return; // the stream ended: nothing to cancel
      }
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }

  private record Failure(Status status, Metadata trailers) {}
}
