package dev.runar;

import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Forwards a stream to {@code target}, mapping each item; a mapping that throws cancels the source
 * and fails the target. Follows the {@link Flow} threading rules of its source. Open for extension
 * only to observe the end: an override of {@link #onError} or {@link #onComplete} calls super.
 */
class MappingSubscriber<A, B> implements Flow.Subscriber<A> {
  private final Flow.Subscriber<? super B> target;
  private final Function<A, B> map;
  private Flow.Subscription subscription;

  MappingSubscriber(Flow.Subscriber<? super B> target, Function<A, B> map) {
    this.target = target;
    this.map = map;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    target.onSubscribe(s);
  }

  @Override
  public void onNext(A item) {
    B mapped;
    try {
      mapped = map.apply(item);
    } catch (RuntimeException e) {
      subscription.cancel();
      target.onError(e);
      return;
    }
    target.onNext(mapped);
  }

  @Override
  public void onError(Throwable error) {
    target.onError(error);
  }

  @Override
  public void onComplete() {
    target.onComplete();
  }
}
