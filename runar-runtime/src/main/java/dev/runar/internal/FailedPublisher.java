package dev.runar.internal;

import java.util.concurrent.Flow;

/**
 * A publisher that fails each subscriber at once: how a refused streaming call ends, in the node
 * and in transports alike. Internal: not part of Runar's API. Immutable.
 */
public final class FailedPublisher<T> implements Flow.Publisher<T> {
  private static final Flow.Subscription NOTHING =
      new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      };

  private final Throwable error;

  public FailedPublisher(Throwable error) {
    this.error = error;
  }

  /** Fails {@code subscriber} with {@code error}. */
  public static <T> void fail(Flow.Subscriber<? super T> subscriber, Throwable error) {
    new FailedPublisher<T>(error).subscribe(subscriber);
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    subscriber.onSubscribe(NOTHING);
    subscriber.onError(error);
  }
}
