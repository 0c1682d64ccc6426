package dev.runar.internal;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A call's future as its caller holds it. The call settles it with its own outcome ({@link
 * #settle}, {@link #settleExceptionally}) and then does its own bookkeeping in line; anyone else
 * completing it (the caller cancels, or completes it itself) is told to the call through {@code
 * onCompletedOutside}, with the failure or null.
 *
 * <p>This replaces a completion stage on the call's own future: on the call path such a stage was a
 * claim, a megamorphic callback and a new future for every call, several levels deep where the
 * compiler no longer inlines. Dependent stages made from this future are plain {@code
 * CompletableFuture}s. Thread-safe, as its superclass.
 *
 * @param <T> the reply type
 */
public final class CallFuture<T> extends CompletableFuture<T> {
  private final Consumer<Throwable> onCompletedOutside;

  /**
   * @param onCompletedOutside runs once if someone other than the call completes this future, on
   *     the thread that did, with the failure (null for a value)
   */
  public CallFuture(Consumer<Throwable> onCompletedOutside) {
    this.onCompletedOutside = onCompletedOutside;
  }

  /** Completes with the call's reply; false when the future was completed already. */
  public boolean settle(T value) {
    return super.complete(value);
  }

  /** Completes with the call's failure; false when the future was completed already. */
  public boolean settleExceptionally(Throwable failure) {
    return super.completeExceptionally(failure);
  }

  @Override
  public boolean complete(T value) {
    return toldIf(super.complete(value), null);
  }

  @Override
  public boolean completeExceptionally(Throwable failure) {
    return toldIf(super.completeExceptionally(failure), failure);
  }

  /** Tells the call when this completion is the one that completed the future. */
  private boolean toldIf(boolean completed, Throwable failure) {
    if (completed) {
      onCompletedOutside.accept(failure);
    }
    return completed;
  }

  /** Through {@link #complete}, so that a value supplied later is told too. */
  @Override
  public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
    Objects.requireNonNull(supplier, "supplier");
    executor.execute(
        () -> {
          T value;
          try {
            value = supplier.get();
          } catch (RuntimeException | Error e) {
            completeExceptionally(e);
            return;
          }
          complete(value);
        });
    return this;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    // A CancellationException is what cancel completes with; this way only the thread that
    // cancelled tells the call.
    return completeExceptionally(new CancellationException()) || isCancelled();
  }
}
