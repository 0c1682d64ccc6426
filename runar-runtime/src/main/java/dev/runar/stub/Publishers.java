package dev.runar.stub;

import dev.runar.Status;
import dev.runar.internal.Demand;
import dev.runar.internal.FailedPublisher;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Small publishers and adapters that generated stubs and server bases use. */
public final class Publishers {
  /** A subscription that does nothing: for a subscriber that only gets an error. */
  static final Flow.Subscription NOOP =
      new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      };

  private Publishers() {}

  /** A publisher that fails each subscriber with {@code error} at once. */
  public static <T> Flow.Publisher<T> failed(Throwable error) {
    return new FailedPublisher<>(error);
  }

  /** A publisher of exactly {@code item}. */
  public static <T> Flow.Publisher<T> just(T item) {
    return fromIterable(java.util.List.of(item));
  }

  /**
   * A publisher of {@code items}, emitted as demanded, on the requesting thread. Its iterator is
   * asked for more only with demand (it may be lazy and block), so the stream completes when more
   * is asked for after the last item. A {@code request(n)} with {@code n <= 0} fails the subscriber
   * with {@link IllegalArgumentException} (Reactive Streams rule 3.9).
   */
  public static <T> Flow.Publisher<T> fromIterable(Iterable<? extends T> items) {
    return subscriber ->
        subscriber.onSubscribe(new IterableSubscription<>(subscriber, items.iterator()));
  }

  /** A publisher of the one value {@code stage} completes with (or of its failure). */
  public static <T> Flow.Publisher<T> fromStage(CompletionStage<? extends T> stage) {
    return subscriber -> {
      subscriber.onSubscribe(NOOP);
      stage.whenComplete(
          (value, error) -> {
            if (error != null) {
              subscriber.onError(error);
            } else {
              subscriber.onNext(value);
              subscriber.onComplete();
            }
          });
    };
  }

  /**
   * The one item {@code publisher} emits, as a future; fails with INTERNAL when it emits none or
   * more than one. Cancelling the future cancels the subscription.
   */
  public static <T> CompletableFuture<T> single(Flow.Publisher<T> publisher) {
    CompletableFuture<T> result = new CompletableFuture<>();
    publisher.subscribe(
        new Flow.Subscriber<T>() {
          private Flow.Subscription subscription;
          private T value;
          private boolean seen;

          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            result.whenComplete(
                (v, e) -> {
                  if (result.isCancelled()) {
                    s.cancel();
                  }
                });
            s.request(2);
          }

          @Override
          public void onNext(T item) {
            if (seen) {
              subscription.cancel();
              result.completeExceptionally(
                  Status.INTERNAL.withDescription("expected one message, got more").asException());
              return;
            }
            seen = true;
            value = item;
          }

          @Override
          public void onError(Throwable error) {
            result.completeExceptionally(Status.fromThrowable(error).asException());
          }

          @Override
          public void onComplete() {
            if (seen) {
              result.complete(value);
            } else {
              result.completeExceptionally(
                  Status.INTERNAL.withDescription("expected one message, got none").asException());
            }
          }
        });
    return result;
  }

  private static final class IterableSubscription<T> implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private final Iterator<? extends T> items;
    private long demand;
    private boolean emitting;
    private boolean done;
    private Optional<IllegalArgumentException> refusal = Optional.empty();

    IterableSubscription(Flow.Subscriber<? super T> subscriber, Iterator<? extends T> items) {
      this.subscriber = subscriber;
      this.items = items;
    }

    @Override
    public void request(long n) {
      synchronized (this) {
        if (n <= 0) {
          refusal = Optional.of(Demand.nonPositive(n));
        } else {
          demand = Demand.add(demand, n);
        }
        if (emitting) {
          return; // the running loop sees the new demand: no recursion
        }
        emitting = true;
      }
      while (true) {
        T item;
        Optional<IllegalArgumentException> error;
        synchronized (this) {
          if (done) {
            emitting = false;
            return;
          }
          error = refusal;
          if (error.isEmpty() && demand == 0) {
            emitting = false;
            return; // the end too waits for demand: hasNext may block on a lazy source
          } else if (error.isPresent() || !items.hasNext()) {
            done = true;
            emitting = false;
            item = null;
          } else {
            demand--;
            item = items.next();
          }
        }
        if (error.isPresent()) {
          subscriber.onError(error.get());
          return;
        }
        if (item == null) {
          subscriber.onComplete();
          return;
        }
        subscriber.onNext(item);
      }
    }

    @Override
    public synchronized void cancel() {
      done = true;
    }
  }
}
