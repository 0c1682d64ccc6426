package dev.runar;

import dev.runar.internal.FailedPublisher;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * The requests of a call served by a local handler. It subscribes to the caller's publisher when
 * the call starts ({@link #start}), as a call to another node does by sending them at once, not
 * when the handler gets round to reading them on the service executor: a hot publisher (one that
 * delivers only to the subscribers it has, like {@code SubmissionPublisher}) would lose what it
 * published in between. It requests nothing by itself: the handler's demand is passed up as it
 * comes (what it asks for in its {@code onSubscribe}, once that returns), so a publisher that
 * follows the {@link Flow} rules holds its items until the handler asks, and backpressure is
 * unchanged. An item sent without demand (against the rules) fails the call's requests with an
 * {@link IllegalStateException} rather than being lost quietly.
 *
 * <p>One subscriber. {@link #cancel} (when the call ends, however it ends) cancels the caller's
 * publisher, and a handler that subscribes afterwards gets CANCELLED.
 */
final class RequestRelay<T> implements Flow.Publisher<T> {
  private final Flow.Publisher<T> source;
  private final Object lock = new Object();
  private final DeferredSubscription upstream = new DeferredSubscription();
  private Flow.Subscriber<? super T> downstream;

  /** The handler's {@code onSubscribe} has returned: signals may go to it directly. */
  private boolean ready;

  private boolean completed;
  private Optional<Throwable> failure = Optional.empty();
  private boolean cancelled;

  RequestRelay(Flow.Publisher<T> source) {
    this.source = source;
  }

  /** Subscribes to the caller's publisher; call once, when the call starts. */
  void start() {
    source.subscribe(new Upstream());
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    boolean first;
    boolean cancelledAlready;
    synchronized (lock) {
      first = downstream == null;
      cancelledAlready = cancelled && !completed && failure.isEmpty(); // else replay the end
      if (first) {
        downstream = subscriber;
      }
    }
    if (!first || cancelledAlready) {
      new FailedPublisher<T>(
              first
                  ? Status.CANCELLED.withDescription("the call has ended").asException()
                  : new IllegalStateException("a call's requests can be read once"))
          .subscribe(subscriber);
      return;
    }
    // What the handler asks for while its onSubscribe runs is passed on once it returns, so that
    // no request reaches it during onSubscribe (rule 1.3).
    DeferredSubscription demand = new DeferredSubscription();
    try {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              demand.request(n);
            }

            @Override
            public void cancel() {
              RequestRelay.this.cancel(true);
            }
          });
    } catch (RuntimeException | Error e) {
      cancel(true); // a subscriber that throws is done with (rule 2.13)
      throw e;
    }
    Optional<Throwable> error;
    boolean complete;
    synchronized (lock) {
      ready = true;
      if (downstream != subscriber) {
        return; // it cancelled in onSubscribe
      }
      error = failure;
      complete = completed;
    }
    signalEnd(subscriber, error, complete);
    demand.set(upstream);
  }

  /** Stops reading the caller's requests (the call ended), unless they have ended already. */
  void cancel() {
    cancel(false);
  }

  /**
   * Stops reading the caller's requests, unless they have ended already. When it is the handler
   * that cancels, it also lets go of the handler's subscriber, which gets nothing more (rule 3.13).
   */
  private void cancel(boolean byHandler) {
    synchronized (lock) {
      if (byHandler && downstream != null) {
        downstream = new Ignoring<>();
        ready = true; // what still comes goes straight to nowhere
      }
      if (cancelled || completed || failure.isPresent()) {
        return;
      }
      cancelled = true;
    }
    upstream.cancel();
  }

  /** Where signals racing a cancel go: nowhere. */
  private static final class Ignoring<T> implements Flow.Subscriber<T> {
    @Override
    public void onSubscribe(Flow.Subscription subscription) {}

    @Override
    public void onNext(T item) {}

    @Override
    public void onError(Throwable error) {}

    @Override
    public void onComplete() {}
  }

  private static <T> void signalEnd(
      Flow.Subscriber<? super T> subscriber, Optional<Throwable> error, boolean complete) {
    if (error.isPresent()) {
      subscriber.onError(error.get());
    } else if (complete) {
      subscriber.onComplete();
    }
  }

  /** Receives the caller's requests. */
  private final class Upstream implements Flow.Subscriber<T> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
      upstream.set(s);
    }

    @Override
    public void onNext(T item) {
      Flow.Subscriber<? super T> d;
      boolean asked;
      synchronized (lock) {
        d = downstream;
        asked = d != null && ready; // no demand is passed on before the handler's onSubscribe ends
      }
      if (!asked) {
        cancel();
        onError(
            new IllegalStateException(
                "the request publisher sent an item nobody asked for (Flow rule 1.1):"
                    + " it must wait for demand"));
        return;
      }
      d.onNext(item);
    }

    @Override
    public void onError(Throwable error) {
      end(Optional.of(error));
    }

    @Override
    public void onComplete() {
      end(Optional.empty());
    }

    private void end(Optional<Throwable> error) {
      Flow.Subscriber<? super T> d;
      synchronized (lock) {
        if (completed || failure.isPresent()) {
          return;
        }
        failure = error;
        completed = error.isEmpty();
        if (!ready) {
          return; // the handler gets it once it has subscribed
        }
        d = downstream;
      }
      signalEnd(d, error, error.isEmpty());
    }
  }
}
