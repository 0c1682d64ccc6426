package dev.runar.network;

import dev.runar.wire.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A listener that keeps every outcome it hears, in order, for a test to look at. Thread-safe. */
public final class HeardOutcomes implements ResponseListener {
  private final List<Object> heard = new ArrayList<>();
  private final CompletableFuture<Response> first = new CompletableFuture<>();

  @Override
  public synchronized void onResponse(Response response) {
    heard.add(response);
    first.complete(response);
  }

  @Override
  public synchronized void onFailure(Throwable failure) {
    heard.add(failure);
    first.completeExceptionally(failure);
  }

  /** The responses and failures heard so far. */
  public synchronized List<Object> heard() {
    return List.copyOf(heard);
  }

  /** The first outcome, within 10 s: the response, or its failure thrown. */
  public Response await() throws Exception {
    return first.get(10, TimeUnit.SECONDS);
  }
}
