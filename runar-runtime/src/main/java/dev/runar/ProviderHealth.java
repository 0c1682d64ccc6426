package dev.runar;

import dev.runar.network.WireStatus;
import dev.runar.wire.Response;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this node knows of each provider it calls (by node id, this node's own handlers included):
 * its calls outstanding, for least-outstanding-requests, and its recent failures, for outlier
 * detection. Thread-safe; a provider's record is small and kept while the node runs.
 */
final class ProviderHealth {
  private final OutlierDetection detection;
  private final Map<String, Provider> providers = new ConcurrentHashMap<>();

  ProviderHealth(OutlierDetection detection) {
    this.detection = detection;
  }

  /** One provider's counters: read lock-free, failures recorded under its lock. */
  static final class Provider {
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean everEjected;
    private volatile long ejectedUntilNanos;

    /** Whether the last call recorded failed: a success after a success takes no lock. */
    private volatile boolean failing;

    // Guarded by this.
    private int consecutiveFailures;
    private int ejections;

    int outstanding() {
      return outstanding.get();
    }

    /**
     * Whether outlier detection has set this provider aside; reads the clock only if it ever did.
     */
    boolean isEjected() {
      return everEjected && System.nanoTime() - ejectedUntilNanos < 0;
    }

    private void record(boolean failed, OutlierDetection detection) {
      if (failed || failing) {
        recordUnderLock(failed, detection);
      }
    }

    private synchronized void recordUnderLock(boolean failed, OutlierDetection detection) {
      if (!failed) {
        consecutiveFailures = 0;
        failing = false;
        return;
      }
      failing = true;
      if (++consecutiveFailures >= detection.consecutiveFailures() && detection.enabled()) {
        consecutiveFailures = 0;
        ejections = Math.min(ejections + 1, 10);
        long nanos = detection.ejectionTime().toNanos() << (ejections - 1);
        ejectedUntilNanos = System.nanoTime() + nanos;
        everEjected = true;
      }
    }
  }

  Provider provider(String nodeId) {
    return providers.computeIfAbsent(nodeId, id -> new Provider());
  }

  /** Counts a call to {@code nodeId} as outstanding until {@link #ended} records how it ended. */
  Provider started(String nodeId) {
    Provider provider = provider(nodeId);
    provider.outstanding.incrementAndGet();
    return provider;
  }

  /**
   * Records how a call {@link #started} on {@code provider} ended: with {@code value} (a wire
   * response's status counts) or {@code error}; {@code cancelled}: abandoned by its caller.
   */
  void ended(Provider provider, Object value, Throwable error, boolean cancelled) {
    provider.outstanding.decrementAndGet();
    Status status =
        error != null
            ? Status.fromThrowable(error)
            : value instanceof Response response ? WireStatus.fromResponse(response) : null;
    // A call refused before it ran, or abandoned by its caller, says nothing of health.
    if (status == null || !(WireStatus.isNotStarted(status) || cancelled)) {
      provider.record(status != null && blamesProvider(status.code()), detection);
    }
  }

  /**
   * Counts {@code call} as outstanding on {@code nodeId} until it ends, then records how. The
   * returned future completes after the outcome is recorded (so the next call sees it), and
   * cancelling it cancels {@code call}.
   */
  <T> CompletableFuture<T> track(String nodeId, CompletableFuture<T> call) {
    Provider provider = started(nodeId);
    CompletableFuture<T> tracked = new CompletableFuture<>();
    tracked.whenComplete(
        (value, error) -> {
          if (tracked.isCancelled()) {
            call.cancel(false);
          }
        });
    call.whenComplete(
        (value, error) -> {
          ended(provider, value, error, call.isCancelled());
          if (error != null) {
            tracked.completeExceptionally(error);
          } else {
            tracked.complete(value);
          }
        });
    return tracked;
  }

  /** Failures that say the provider is unwell rather than that the call was wrong. */
  private static boolean blamesProvider(Status.Code code) {
    return switch (code) {
      case UNAVAILABLE, INTERNAL, UNKNOWN, DATA_LOSS -> true;
      default -> false;
    };
  }
}
