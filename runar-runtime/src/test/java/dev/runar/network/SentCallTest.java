package dev.runar.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.Status;
import dev.runar.wire.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A transport answering with futures, adapted to listeners: one outcome each, cancel reaches it.
 */
class SentCallTest {
  private final List<Object> heard = new ArrayList<>();
  private final ResponseListener listener =
      new ResponseListener() {
        @Override
        public void onResponse(Response response) {
          heard.add(response);
        }

        @Override
        public void onFailure(Throwable failure) {
          heard.add(failure);
        }
      };

  @Test
  void theListenerHearsTheResponseOrTheFailureOnce() {
    CompletableFuture<Response> ok = new CompletableFuture<>();
    SentCall.of(ok, listener);
    Response response = Response.newBuilder().setCallId(7).build();
    ok.complete(response);
    ok.completeExceptionally(new IllegalStateException("late"));
    assertEquals(List.of(response), heard);

    heard.clear();
    CompletableFuture<Response> failed = new CompletableFuture<>();
    SentCall.of(failed, listener);
    Exception failure = Status.UNAVAILABLE.withDescription("gone").asException();
    failed.completeExceptionally(failure);
    assertEquals(1, heard.size());
    assertSame(failure, heard.get(0));
  }

  @Test
  void cancellingCancelsTheFutureAndTheListenerHearsIt() {
    CompletableFuture<Response> call = new CompletableFuture<>();
    SentCall sent = SentCall.of(call, listener);
    sent.cancel();
    sent.cancel();
    assertTrue(call.isCancelled());
    assertEquals(1, heard.size());
    assertInstanceOf(CancellationException.class, heard.get(0));
  }
}
