package dev.runar;

import com.google.protobuf.Message;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streaming call as its caller sees it, local or remote: sits between the caller's subscriber
 * and the source of responses (a local handler's publisher, or the messages arriving from a peer).
 * Passes demand up and messages down unchanged, and ends the call once — on completion, failure,
 * the caller's cancel, the deadline, or the node stopping. Ending it abnormally cancels the source
 * and runs the call's cleanup (cancelling the handler's requests, or telling the peer).
 *
 * @param <RespT> the response type the caller expects
 */
final class StreamCall<RespT extends Message> implements InFlightCall, Flow.Subscription {
  private static final Logger log = LoggerFactory.getLogger(StreamCall.class);

  private final Object what;
  private final Deadline deadline;
  private final RespT responsePrototype;
  private final Flow.Subscriber<? super RespT> downstream;
  private final Runnable onAbnormalEnd;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Object lock = new Object();
  private Flow.Subscription upstream;
  private long pendingDemand;
  private boolean ended;

  /**
   * @param what names the call in statuses (its path)
   * @param onAbnormalEnd runs once if the call ends other than by completing
   */
  StreamCall(
      Object what,
      Deadline deadline,
      RespT responsePrototype,
      Flow.Subscriber<? super RespT> downstream,
      Runnable onAbnormalEnd) {
    this.what = what;
    this.deadline = deadline;
    this.responsePrototype = responsePrototype;
    this.downstream = downstream;
    this.onAbnormalEnd = onAbnormalEnd;
  }

  @Override
  public CompletableFuture<?> completion() {
    return done;
  }

  /**
   * Subscribes the caller, arms the deadline, and subscribes to {@code source} on {@code executor}.
   */
  void start(
      Executor executor,
      ScheduledExecutorService timer,
      Callable<Flow.Publisher<? extends Message>> source) {
    downstream.onSubscribe(this);
    Deadlines.enforce(done, deadline, timer, what);
    done.whenComplete(
        (v, e) -> {
          if (e != null) {
            end(Status.fromThrowable(e), true); // the deadline fired
          }
        });
    try {
      executor.execute(() -> run(source));
    } catch (RejectedExecutionException e) {
      fail(Status.RESOURCE_EXHAUSTED.withDescription("node is overloaded: no room to run " + what));
    }
  }

  private void run(Callable<Flow.Publisher<? extends Message>> source) {
    if (isEnded()) {
      return;
    }
    Flow.Publisher<? extends Message> responses;
    try {
      responses = source.call();
    } catch (Throwable t) {
      end(failure(t), true);
      return;
    }
    if (responses == null) {
      end(Status.INTERNAL.withDescription("handler of " + what + " returned no stream"), true);
      return;
    }
    responses.subscribe(new Upstream());
  }

  // ---- the caller's subscription ----

  @Override
  public void request(long n) {
    Flow.Subscription s;
    synchronized (lock) {
      if (ended) {
        return;
      }
      s = upstream;
      if (s == null) {
        pendingDemand = n <= 0 || pendingDemand + n < 0 ? Long.MAX_VALUE : pendingDemand + n;
        return;
      }
    }
    s.request(n);
  }

  @Override
  public void cancel() {
    end(Status.CANCELLED.withDescription("the caller cancelled"), false);
  }

  @Override
  public void fail(Status status) {
    end(status, true);
  }

  private boolean isEnded() {
    synchronized (lock) {
      return ended;
    }
  }

  /** Ends the call once; tells the caller unless the caller itself cancelled. */
  private void end(Status status, boolean signal) {
    Flow.Subscription up;
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      up = upstream;
      if (signal) {
        if (status.isOk()) {
          downstream.onComplete();
        } else {
          downstream.onError(status.asException());
        }
      }
    }
    if (!status.isOk()) {
      if (up != null) {
        up.cancel();
      }
      onAbnormalEnd.run();
    }
    done.complete(null);
  }

  private Status failure(Throwable t) {
    Status status = Status.fromThrowable(t);
    if (status.code() == Status.Code.INTERNAL && !(t instanceof StatusException) && !isEnded()) {
      log.warn("streaming handler of {} failed", what, t);
      return status.augmentDescription("handler of " + what + " failed");
    }
    return status;
  }

  /** Receives the handler's responses. */
  private final class Upstream implements Flow.Subscriber<Message> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
      long demand;
      boolean cancelNow;
      synchronized (lock) {
        upstream = s;
        demand = pendingDemand;
        pendingDemand = 0;
        cancelNow = ended;
      }
      if (cancelNow) {
        s.cancel();
      } else if (demand > 0) {
        s.request(demand);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onNext(Message item) {
      RespT reply;
      try {
        reply = responsePrototype == null ? (RespT) item : Messages.coerce(item, responsePrototype);
      } catch (StatusException mismatch) {
        fail(
            Status.INTERNAL.withDescription(
                what + " streamed the wrong type: " + mismatch.status().description()));
        return;
      }
      synchronized (lock) {
        if (!ended) {
          downstream.onNext(reply);
        }
      }
    }

    @Override
    public void onError(Throwable error) {
      end(failure(error), true);
    }

    @Override
    public void onComplete() {
      end(Status.OK, true);
    }
  }

  /**
   * The requests of a call served by a local handler. It subscribes to the caller's publisher when
   * the call starts ({@link #start}), as a call to another node does by sending them at once, not
   * when the handler gets round to reading them on the service executor: a hot publisher (one that
   * delivers only to the subscribers it has, like {@code SubmissionPublisher}) would lose what it
   * published in between. It requests nothing by itself: the handler's demand is passed up as it
   * comes, so a publisher that follows the {@link Flow} rules holds its items until the handler
   * asks, and backpressure is unchanged. An item sent before the handler subscribed (without
   * demand, against the rules) fails the call's requests with an {@link IllegalStateException}
   * rather than being lost quietly.
   *
   * <p>One subscriber. {@link #cancel} (when the call ends, however it ends) cancels the caller's
   * publisher, and a handler that subscribes afterwards gets CANCELLED.
   */
  static final class RequestRelay<T> implements Flow.Publisher<T> {
    private final Flow.Publisher<T> source;
    private final Object lock = new Object();
    private Flow.Subscription upstream;
    private Flow.Subscriber<? super T> downstream;

    /** The handler's {@code onSubscribe} has returned: end signals may go to it directly. */
    private boolean ready;

    /** The handler's demand while the source's subscription has not arrived. */
    private long pendingDemand;

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
        subscriber.onSubscribe(NO_OP);
        subscriber.onError(
            first
                ? Status.CANCELLED.withDescription("the call has ended").asException()
                : new IllegalStateException("a call's requests can be read once"));
        return;
      }
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              requestUpstream(n);
            }

            @Override
            public void cancel() {
              RequestRelay.this.cancel();
            }
          });
      Optional<Throwable> error;
      boolean complete;
      synchronized (lock) {
        ready = true;
        error = failure;
        complete = completed;
      }
      signalEnd(subscriber, error, complete);
    }

    private void requestUpstream(long n) {
      Flow.Subscription s;
      synchronized (lock) {
        s = upstream;
        if (s == null) {
          pendingDemand = n <= 0 || pendingDemand + n < 0 ? Long.MAX_VALUE : pendingDemand + n;
          return;
        }
      }
      s.request(n);
    }

    /** Stops reading the caller's requests, unless they have ended already. */
    void cancel() {
      Flow.Subscription s;
      synchronized (lock) {
        if (cancelled || completed || failure.isPresent()) {
          return;
        }
        cancelled = true;
        s = upstream;
      }
      if (s != null) {
        s.cancel();
      }
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
        long demand;
        boolean cancelNow;
        synchronized (lock) {
          upstream = s;
          demand = pendingDemand;
          pendingDemand = 0;
          cancelNow = cancelled;
        }
        if (cancelNow) {
          s.cancel();
        } else if (demand > 0) {
          s.request(demand);
        }
      }

      @Override
      public void onNext(T item) {
        Flow.Subscriber<? super T> d;
        synchronized (lock) {
          d = downstream;
        }
        if (d == null) {
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

    private static final Flow.Subscription NO_OP =
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        };
  }

  /** Forwards a stream, mapping each item. */
  static class Mapping<A, B> implements Flow.Subscriber<A> {
    private final Flow.Subscriber<? super B> target;
    private final java.util.function.Function<A, B> map;
    private Flow.Subscription subscription;

    Mapping(Flow.Subscriber<? super B> target, java.util.function.Function<A, B> map) {
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
}
