package dev.runar;

import com.google.protobuf.Message;
import dev.runar.internal.Demand;
import dev.runar.network.ReplyMetadata;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * The caller's end of a streaming call this node makes, between the call and the caller's
 * subscriber: tells the client listeners of the headers, each response and the close (the close
 * before the caller sees the end), ends the call with the trailers, and ends it early when the call
 * that made it ends. Signals to the caller are serialized.
 */
final class ClientStreamEnd<T extends Message> implements Flow.Subscriber<T>, Flow.Subscription {
  private final Flow.Subscriber<? super T> downstream;
  private final ClientInterception listeners;
  private final ReplyMetadata reply;
  private final Object lock = new Object();
  private Flow.Subscription upstream; // guarded by lock
  private boolean done; // guarded by lock
  private int signalling; // guarded by lock: the caller's onSubscribe or onNext runs (nested, >1)
  private Optional<Throwable> refusedInSignal = Optional.empty(); // guarded by lock
  private boolean upstreamEnded; // guarded by lock
  private volatile CallContext.Registration parent = () -> {};

  ClientStreamEnd(
      Flow.Subscriber<? super T> downstream, ClientInterception listeners, ReplyMetadata reply) {
    this.downstream = downstream;
    this.listeners = listeners;
    this.reply = reply;
  }

  /** The call's binding to the call that made it: released when this call ends. */
  void bind(CallContext.Registration registration) {
    boolean ended;
    synchronized (lock) {
      ended = done;
      parent = registration;
    }
    if (ended) {
      registration.close();
    }
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    synchronized (lock) {
      upstream = subscription;
      signalling++;
    }
    try {
      downstream.onSubscribe(this);
    } finally {
      afterSignal();
    }
  }

  @Override
  public void onNext(T item) {
    synchronized (lock) { // held while the caller runs: no end overtakes its onNext
      if (done) {
        return;
      }
      listeners.onHeaders(reply.headers());
      listeners.onResponse(item);
      signalling++;
      try {
        downstream.onNext(item);
      } finally {
        afterSignal();
      }
    }
  }

  /**
   * A signal to the caller returned (or threw): a {@code request(n <= 0)} it made meanwhile now
   * fails it, once no signal runs any more (a request may deliver at once, nesting them).
   */
  private void afterSignal() {
    Optional<Throwable> refused = Optional.empty();
    synchronized (lock) {
      signalling--;
      if (signalling == 0) {
        refused = refusedInSignal;
        refusedInSignal = Optional.empty();
      }
    }
    refused.ifPresent(this::refuse);
  }

  @Override
  public void onError(Throwable error) {
    synchronized (lock) {
      upstreamEnded = true; // so it is not cancelled from its own end (rule 2.3)
    }
    end(Status.fromThrowable(error), true);
  }

  @Override
  public void onComplete() {
    end(Status.OK, true);
  }

  @Override
  public void request(long n) {
    if (n <= 0) { // the caller's mistake: it ends the call, and the caller gets the rule's error
      synchronized (lock) {
        if (signalling > 0) { // asked from its onSubscribe or onNext: the error follows it
          if (refusedInSignal.isEmpty()) {
            refusedInSignal = Optional.of(Demand.nonPositive(n));
          }
          return;
        }
      }
      refuse(Demand.nonPositive(n));
      return;
    }
    Flow.Subscription s;
    synchronized (lock) {
      s = upstream;
    }
    if (s != null) {
      s.request(n);
    }
  }

  @Override
  public void cancel() {
    end(Status.CANCELLED.withDescription("the caller cancelled"), false);
  }

  private void refuse(Throwable error) {
    end(Status.CANCELLED.withDescription(error.getMessage()), true, Optional.of(error));
  }

  /** Ends the call because the call that made it ended. */
  void abort(Status status) {
    end(status, true);
  }

  private void end(Status status, boolean signal) {
    end(status, signal, Optional.empty());
  }

  /** Ends the call with {@code status}; the caller gets {@code error} instead when there is one. */
  private void end(Status status, boolean signal, Optional<Throwable> error) {
    Flow.Subscription up;
    boolean cancelUp;
    synchronized (lock) {
      if (done) {
        return;
      }
      done = true;
      up = upstream;
      cancelUp = !status.isOk() && up != null && !upstreamEnded;
      Metadata trailers = reply.trailers();
      listeners.close(status, trailers);
      if (signal) {
        if (error.isPresent()) {
          downstream.onError(error.get());
        } else if (status.isOk()) {
          downstream.onComplete();
        } else {
          downstream.onError(status.asException(trailers));
        }
      }
    }
    parent.close();
    if (cancelUp) {
      up.cancel();
    }
  }
}
