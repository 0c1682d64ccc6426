package dev.runar.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.Status;
import dev.runar.wire.Response;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A transport answering with futures, adapted to listeners: one outcome each, cancel reaches it.
 */
class SentCallTest {
  @Test
  void theListenerHearsTheResponseOrTheFailureOnce() {
    HeardOutcomes listener = new HeardOutcomes();
    CompletableFuture<Response> ok = new CompletableFuture<>();
    SentCall.of(ok, listener);
    Response response = Response.newBuilder().setCallId(7).build();
    ok.complete(response);
    ok.completeExceptionally(new IllegalStateException("late"));
    assertEquals(List.of(response), listener.heard());

    HeardOutcomes failedListener = new HeardOutcomes();
    CompletableFuture<Response> failed = new CompletableFuture<>();
    SentCall.of(failed, failedListener);
    Exception failure = Status.UNAVAILABLE.withDescription("gone").asException();
    failed.completeExceptionally(failure);
    assertEquals(List.of(failure), failedListener.heard());
    assertSame(failure, failedListener.heard().get(0));
  }

  @Test
  void cancellingCancelsTheFutureAndTheListenerHearsIt() {
    HeardOutcomes listener = new HeardOutcomes();
    CompletableFuture<Response> call = new CompletableFuture<>();
    SentCall sent = SentCall.of(call, listener);
    sent.cancel();
    sent.cancel();
    assertTrue(call.isCancelled());
    assertEquals(1, listener.heard().size());
    assertInstanceOf(CancellationException.class, listener.heard().get(0));
  }
}
