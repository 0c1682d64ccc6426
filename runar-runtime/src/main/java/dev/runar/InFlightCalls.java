package dev.runar;

import dev.runar.network.WireStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The calls a node is running, local handlers' and streams from peers alike, so that {@code stop()}
 * can let them finish within its grace period and then end the rest. Thread-safe.
 */
final class InFlightCalls {
  private final String nodeId;
  private final BooleanSupplier running;
  private final Set<InFlightCall> calls = ConcurrentHashMap.newKeySet();

  /**
   * @param running whether the node still takes calls; checked again after a call is tracked, so
   *     one that raced with {@code stop()} is refused rather than left running
   */
  InFlightCalls(String nodeId, BooleanSupplier running) {
    this.nodeId = nodeId;
    this.running = running;
  }

  /**
   * Tracks {@code call} until it completes; returns false (after failing it as not started) when
   * the node stopped taking calls meanwhile.
   */
  boolean track(InFlightCall call) {
    boolean admitted = add(call);
    call.completion().whenComplete((r, t) -> calls.remove(call));
    return admitted;
  }

  /**
   * {@link #track} for a call that ends its tracking itself, with {@link #remove} once completed:
   * one completion hook fewer for the calls that have one of their own.
   */
  boolean add(InFlightCall call) {
    calls.add(call);
    if (!running.getAsBoolean()) {
      call.fail(
          WireStatus.notStarted(
              Status.UNAVAILABLE.withDescription("node " + nodeId + " is stopping")));
      return false;
    }
    return true;
  }

  /** Stops tracking {@code call}, {@link #add added} and now completed. */
  void remove(InFlightCall call) {
    calls.remove(call);
  }

  /** Waits up to {@code grace} for the calls in flight, then fails those still running. */
  void drain(Duration grace) {
    List<CompletableFuture<?>> pending = new ArrayList<>();
    calls.forEach(c -> pending.add(c.completion()));
    if (pending.isEmpty()) {
      return;
    }
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .get(grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Timed out (or some calls failed, which is fine): whatever still runs is ended below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Status stopped =
        Status.UNAVAILABLE.withDescription("node " + nodeId + " stopped during the call");
    calls.forEach(c -> c.fail(stopped));
  }
}
