package dev.runar;

import java.util.concurrent.Flow;

/**
 * The subscription to a source that may arrive after demand or a cancel for it: holds the demand
 * (and the cancel) until {@link #set} and passes them on then, and directly afterwards.
 * Thread-safe.
 */
final class DeferredSubscription implements Flow.Subscription {
  private Flow.Subscription upstream;
  private long pendingDemand;
  private boolean cancelled;

  /** The source's subscription has arrived: gets the demand so far, or the cancel. Call once. */
  void set(Flow.Subscription subscription) {
    long demand;
    boolean cancelNow;
    synchronized (this) {
      upstream = subscription;
      demand = pendingDemand;
      pendingDemand = 0;
      cancelNow = cancelled;
    }
    if (cancelNow) {
      subscription.cancel();
    } else if (demand > 0) {
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
        pendingDemand = n <= 0 || pendingDemand + n < 0 ? Long.MAX_VALUE : pendingDemand + n;
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
