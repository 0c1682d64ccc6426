package dev.runar;

import com.google.protobuf.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streaming call to an action hosted on this node. Sits between the caller's subscriber and
 * the handler's response publisher: passes demand up and messages down unchanged (local calls
 * hand over message objects, no copies), and ends the call once — on completion, failure, the
 * caller's cancel, the deadline, or the node stopping. Ending it cancels the handler's response
 * subscription and its subscription to the requests, and marks the context cancelled.
 *
 * @param <RespT> the response type the caller expects
 */
final class LocalStreamCall<RespT extends Message> implements InFlightCall, Flow.Subscription {
  private static final Logger log = LoggerFactory.getLogger(LocalStreamCall.class);

  private final HostedService.Action action;
  private final Flow.Publisher<? extends Message> requests;
  private final CallContext context;
  private final RespT responsePrototype;
  private final Flow.Subscriber<? super RespT> downstream;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Object lock = new Object();
  private Flow.Subscription upstream;
  private Flow.Subscription requestSubscription;
  private long pendingDemand;
  private boolean ended;

  LocalStreamCall(
      HostedService.Action action,
      Flow.Publisher<? extends Message> requests,
      CallContext context,
      RespT responsePrototype,
      Flow.Subscriber<? super RespT> downstream) {
    this.action = action;
    this.requests = requests;
    this.context = context;
    this.responsePrototype = responsePrototype;
    this.downstream = downstream;
  }

  @Override
  public CompletableFuture<?> completion() {
    return done;
  }

  void start(Executor executor, ScheduledExecutorService timer) {
    downstream.onSubscribe(this);
    Deadlines.enforce(done, context.deadline(), timer, action.path());
    done.whenComplete(
        (v, e) -> {
          if (e != null) {
            end(Status.fromThrowable(e), true); // the deadline fired
          }
        });
    try {
      executor.execute(this::run);
    } catch (RejectedExecutionException e) {
      fail(Status.RESOURCE_EXHAUSTED.withDescription("node is overloaded: no room to run " + action.path()));
    }
  }

  private void run() {
    if (isEnded()) {
      return;
    }
    Flow.Publisher<? extends Message> responses;
    try {
      responses = context.runWith(() -> invoke(action.method(), relayedRequests(), context));
    } catch (Throwable t) {
      end(failure(t), true);
      return;
    }
    if (responses == null) {
      end(Status.INTERNAL.withDescription("handler of " + action.path() + " returned no stream"), true);
      return;
    }
    responses.subscribe(new Upstream());
  }

  @SuppressWarnings("unchecked")
  private static <ReqT extends Message, R extends Message> Flow.Publisher<R> invoke(
      ServerMethod<ReqT, R> method, Flow.Publisher<? extends Message> requests, CallContext context)
      throws Exception {
    ReqT prototype = method.descriptor().requestPrototype();
    Flow.Publisher<ReqT> typed =
        subscriber ->
            ((Flow.Publisher<Message>) requests)
                .subscribe(new Mapping<>(subscriber, m -> Messages.coerce(m, prototype)));
    return method.streaming().handle(typed, context);
  }

  /** The caller's requests, through a subscription this call can cancel when it ends. */
  private Flow.Publisher<Message> relayedRequests() {
    return subscriber ->
        requests.subscribe(
            new Mapping<Message, Message>(subscriber, m -> m) {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                boolean cancelNow;
                synchronized (lock) {
                  requestSubscription = s;
                  cancelNow = ended;
                }
                if (cancelNow) {
                  s.cancel();
                }
                super.onSubscribe(s);
              }
            });
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
    Flow.Subscription req;
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      up = upstream;
      req = requestSubscription;
      if (signal) {
        if (status.isOk()) {
          downstream.onComplete();
        } else {
          downstream.onError(status.asException());
        }
      }
    }
    if (!status.isOk()) {
      context.cancel();
      if (up != null) {
        up.cancel();
      }
      if (req != null) {
        req.cancel();
      }
    }
    done.complete(null);
  }

  private Status failure(Throwable t) {
    Status status = Status.fromThrowable(t);
    if (status.code() == Status.Code.INTERNAL && !(t instanceof StatusException) && !isEnded()) {
      log.warn("streaming handler of {} failed", action.path(), t);
      return status.augmentDescription("handler of " + action.path() + " failed");
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
        fail(Status.INTERNAL.withDescription(action.path() + " streamed the wrong type: " + mismatch.status().description()));
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
