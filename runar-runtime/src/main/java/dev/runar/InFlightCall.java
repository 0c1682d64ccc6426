package dev.runar;

import java.util.concurrent.CompletableFuture;

/** A call the node is serving, as {@link Node#stop()} sees it: it can wait for it or end it. */
interface InFlightCall {
  /** Completes when the call has ended, however. */
  CompletableFuture<?> completion();

  /** Ends the call with {@code status} unless it has ended already. */
  void fail(Status status);
}
