package dev.runar;

import dev.runar.internal.Demand;
import java.util.concurrent.Flow;

/**
 * The subscription to a source that may arrive after demand or a cancel for it: holds the demand
 * (and the cancel) until {@link #set} and passes them on then, and directly afterwards. A request
 * of {@code n <= 0} is passed on as it is, for the source to refuse (rule 3.9). Thread-safe.
 */
final class DeferredSubscription implements Flow.Subscription {
  private Flow.Subscription upstream;
  private long pendingDemand; // > 0 for a sum of good requests, <= 0 for the first bad one
  private boolean requested;
  private boolean cancelled;

  /** The source's subscription has arrived: gets the demand so far, or the cancel. Call once. */
  void set(Flow.Subscription subscription) {
    long demand;
    boolean request;
    boolean cancelNow;
    synchronized (this) {
      upstream = subscription;
      demand = pendingDemand;
      request = requested;
      cancelNow = cancelled;
    }
    if (cancelNow) {
      subscription.cancel();
    } else if (request) {
      subscription.request(demand);
    }
  }

  @Override
  public void request(long n) {
    Flow.Subscription s;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      s = upstream;
      if (s == null) {
        boolean refusedAlready = requested && pendingDemand <= 0;
        if (!refusedAlready) {
          pendingDemand = n <= 0 || !requested ? n : Demand.add(pendingDemand, n);
        }
        requested = true;
        return;
      }
    }
    s.request(n);
  }

  @Override
  public void cancel() {
    Flow.Subscription s;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      s = upstream;
    }
    if (s != null) {
      s.cancel();
    }
  }
}
