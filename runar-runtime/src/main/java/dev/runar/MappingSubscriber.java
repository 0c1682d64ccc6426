package dev.runar;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Forwards a stream to {@code target}, mapping each item; a mapping that throws cancels the source
 * and fails the target, which then hears nothing more. Where a publisher Runar did not write meets
 * Runar's subscribers, it holds the subscriber's side of the rules: a second subscription is
 * cancelled (rule 2.5) and null signals throw {@link NullPointerException} (rule 2.13). Follows the
 * {@link Flow} threading rules of its source. Open for extension only to observe the end: an
 * override of {@link #onError} or {@link #onComplete} calls super.
 */
class MappingSubscriber<A, B> implements Flow.Subscriber<A> {
  private final Flow.Subscriber<? super B> target;
  private final Function<A, B> map;
  private Flow.Subscription subscription;
  private boolean done;

  MappingSubscriber(Flow.Subscriber<? super B> target, Function<A, B> map) {
    this.target = target;
    this.map = map;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    Objects.requireNonNull(s, "subscription");
    if (subscription != null) {
      s.cancel();
      return;
    }
    subscription = s;
    target.onSubscribe(s);
  }

  @Override
  public void onNext(A item) {
    if (done) {
      return;
    }
    B mapped;
    try {
      mapped = map.apply(Objects.requireNonNull(item, "the publisher sent a null item"));
    } catch (RuntimeException e) {
      done = true;
      subscription.cancel();
      target.onError(e); // the call ends with it, and a null item's exception is thrown too
      if (item == null) {
        throw e;
      }
      return;
    }
    target.onNext(mapped);
  }

  @Override
  public void onError(Throwable error) {
    if (done) {
      return;
    }
    done = true;
    if (error == null) {
      NullPointerException npe = new NullPointerException("the publisher failed with null");
      target.onError(npe); // the call ends with it
      throw npe;
    }
    target.onError(error);
  }

  @Override
  public void onComplete() {
    if (!done) {
      done = true;
      target.onComplete();
    }
  }
}
