package dev.runar.network.quic;

import java.util.concurrent.Flow;

/**
 * A publisher that fails each subscriber at once with one error (a call refused before it started,
 * a second subscriber). Thread-safe; signals run on the subscribing thread.
 */
final class FailedPublisher<T> implements Flow.Publisher<T> {
  private final Throwable error;

  FailedPublisher(Throwable error) {
    this.error = error;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
    subscriber.onError(error);
  }
}
