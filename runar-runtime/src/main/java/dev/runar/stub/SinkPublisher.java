package dev.runar.stub;

import dev.runar.Status;
import dev.runar.StreamSink;
import dev.runar.internal.Demand;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns a direct-style producer ({@code body} writing to a {@link StreamSink}) into a publisher.
 * The body runs on the thread that subscribes (a service executor thread, for a handler), and each
 * {@link StreamSink#send} waits for the subscriber's demand. When the body returns the stream
 * completes; when it throws, the stream fails with the exception's status. One subscriber.
 *
 * @param <T> the item type
 */
public final class SinkPublisher<T> implements Flow.Publisher<T> {
  /** A producer writing to a sink, as a direct-style streaming method does. */
  @FunctionalInterface
  public interface Body<T> {
    void produce(StreamSink<T> sink) throws Exception;
  }

  private final Body<T> body;
  private boolean subscribed;

  public SinkPublisher(Body<T> body) {
    this.body = body;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    synchronized (this) {
      if (subscribed) {
        subscriber.onSubscribe(Publishers.NOOP);
        subscriber.onError(new IllegalStateException("a sink publisher takes one subscriber"));
        return;
      }
      subscribed = true;
    }
    Sink<T> sink = new Sink<>(subscriber);
    subscriber.onSubscribe(sink);
    Optional<Throwable> failure = Optional.empty();
    try {
      body.produce(sink);
    } catch (Throwable t) {
      failure = Optional.of(t);
    }
    sink.end(failure);
  }

  private static final class Sink<T> implements StreamSink<T>, Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demanded = lock.newCondition();
    private long demand;
    private volatile boolean cancelled;
    private Optional<Throwable> refusal = Optional.empty(); // guarded by lock
    private boolean ended; // guarded by lock

    Sink(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void send(T message) {
      lock.lock();
      try {
        while (demand == 0 && !cancelled) {
          demanded.await();
        }
        if (cancelled) {
          throw Status.CANCELLED.withDescription("the stream's consumer is gone").asException();
        }
        demand--;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancelled = true;
        throw Status.CANCELLED.withDescription("interrupted while sending").asException();
      } finally {
        lock.unlock();
      }
      subscriber.onNext(message);
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    /**
     * The body has returned ({@code failure}: or thrown): ends the stream, unless its consumer
     * cancelled. A {@code request(n <= 0)} that stopped the body is signalled here, on the body's
     * thread, so that it follows every item the body sent (rule 1.3).
     */
    void end(Optional<Throwable> failure) {
      Optional<Throwable> error;
      boolean signal;
      lock.lock();
      try {
        ended = true;
        signal = !cancelled || refusal.isPresent();
        error = refusal.isPresent() ? refusal : failure;
      } finally {
        lock.unlock();
      }
      if (!signal) {
        return;
      }
      if (error.isPresent()) {
        subscriber.onError(error.get());
      } else {
        subscriber.onComplete();
      }
    }

    @Override
    public void request(long n) {
      lock.lock();
      try {
        if (n <= 0) {
          if (!cancelled && !ended) { // the body's next send fails; the error follows its end
            cancelled = true;
            refusal = Optional.of(Demand.nonPositive(n));
          }
        } else {
          demand = Demand.add(demand, n);
        }
        demanded.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void cancel() {
      lock.lock();
      try {
        cancelled = true;
        demanded.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
