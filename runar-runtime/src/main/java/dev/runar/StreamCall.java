package dev.runar;

import com.google.protobuf.Message;
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
  private final DeferredSubscription upstream = new DeferredSubscription();
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
            end(Status.fromThrowable(e), true, true); // the deadline fired
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
      end(failure(t), true, true);
      return;
    }
    if (responses == null) {
      end(
          Status.INTERNAL.withDescription("handler of " + what + " returned no stream"),
          true,
          true);
      return;
    }
    responses.subscribe(new Upstream());
  }

  // ---- the caller's subscription ----

  @Override
  public void request(long n) {
    if (!isEnded()) {
      upstream.request(n);
    }
  }

  @Override
  public void cancel() {
    end(Status.CANCELLED.withDescription("the caller cancelled"), false, true);
  }

  @Override
  public void fail(Status status) {
    end(status, true, true);
  }

  private boolean isEnded() {
    synchronized (lock) {
      return ended;
    }
  }

  /**
   * Ends the call once; tells the caller unless the caller itself cancelled, and cancels the
   * handler's publisher on a failure unless that publisher ended the call ({@code cancel}: rule 2.3
   * forbids calling it from its own end).
   */
  private void end(Status status, boolean signal, boolean cancel) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      if (signal) {
        if (status.isOk()) {
          downstream.onComplete();
        } else {
          downstream.onError(status.asException());
        }
      }
    }
    if (!status.isOk()) {
      if (cancel) {
        upstream.cancel();
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
      upstream.set(s);
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
      end(failure(error), true, false);
    }

    @Override
    public void onComplete() {
      end(Status.OK, true, false);
    }
  }
}
