package dev.runar.network.quic;

import dev.runar.internal.CallFuture;
import dev.runar.network.ResponseListener;
import dev.runar.network.SentCall;
import dev.runar.wire.Response;
import java.util.concurrent.CompletableFuture;

/**
 * A unary call's outcome as a future, for callers of {@link
 * dev.runar.network.PeerConnection#call(dev.runar.wire.Request, dev.runar.network.Payload)}: the
 * listener the call was sent with completes it; completing it from outside (cancel, above all)
 * cancels the call. Thread-safe.
 */
final class ResponseFuture implements ResponseListener {
  private final CallFuture<Response> future = new CallFuture<>(e -> cancelSent());
  private volatile SentCall sent;

  /** The future the caller holds. */
  CompletableFuture<Response> future() {
    return future;
  }

  /**
   * The call this is the outcome of: cancelled at once if the future was completed from outside.
   */
  void sent(SentCall call) {
    sent = call;
    if (future.isDone()) {
      call.cancel(); // a no-op if the call completed it
    }
  }

  @Override
  public void onResponse(Response response) {
    future.settle(response);
  }

  @Override
  public void onFailure(Throwable failure) {
    future.settleExceptionally(failure);
  }

  private void cancelSent() {
    SentCall call = sent;
    if (call != null) {
      call.cancel();
    }
  }
}
