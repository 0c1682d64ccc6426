package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The relay between a caller's request publisher and a local handler that subscribes later. */
class RequestRelayTest {
  /** Records what it receives; requests {@code demand} when subscribed. */
  private static final class Recorder implements Flow.Subscriber<Integer> {
    final List<Integer> items = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> end = new CompletableFuture<>();
    private final long demand;

    Recorder(long demand) {
      this.demand = demand;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      if (demand > 0) {
        s.request(demand);
      }
    }

    @Override
    public void onNext(Integer item) {
      items.add(item);
    }

    @Override
    public void onError(Throwable error) {
      end.complete(error);
    }

    @Override
    public void onComplete() {
      end.complete(new Throwable("completed"));
    }
  }

  @Test
  void aHotPublishersItemsWaitForTheLateSubscriber() throws Exception {
    try (SubmissionPublisher<Integer> hot = new SubmissionPublisher<>()) {
      RequestRelay<Integer> relay = new RequestRelay<>(hot);
      relay.start();
      for (int i = 1; i <= 5; i++) {
        hot.submit(i); // nobody has asked yet: the publisher holds them for the relay
      }
      hot.close();
      Recorder handler = new Recorder(Long.MAX_VALUE);
      relay.subscribe(handler);
      assertEquals("completed", handler.end.get(10, TimeUnit.SECONDS).getMessage());
      assertEquals(List.of(1, 2, 3, 4, 5), handler.items);
    }
  }

  @Test
  void demandIsPassedUpUnchanged() throws Exception {
    try (SubmissionPublisher<Integer> hot = new SubmissionPublisher<>()) {
      RequestRelay<Integer> relay = new RequestRelay<>(hot);
      relay.start();
      for (int i = 1; i <= 5; i++) {
        hot.submit(i);
      }
      Recorder handler = new Recorder(2);
      relay.subscribe(handler);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (handler.items.size() < 2 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      Thread.sleep(100); // room for a third item that must not come
      assertEquals(List.of(1, 2), handler.items);
      assertTrue(hot.estimateMaximumLag() >= 3, "the rest wait in the publisher");
    }
  }

  @Test
  void anEndBeforeTheSubscriberIsReplayedAfterOnSubscribe() throws Exception {
    RequestRelay<Integer> relay =
        new RequestRelay<>(dev.runar.stub.Publishers.failed(new IllegalArgumentException("bad")));
    relay.start();
    Recorder handler = new Recorder(1);
    relay.subscribe(handler);
    assertEquals("bad", handler.end.get(10, TimeUnit.SECONDS).getMessage());
  }

  @Test
  void anItemNobodyAskedForFailsTheRequestsInsteadOfVanishing() throws Exception {
    Flow.Publisher<Integer> rude =
        subscriber -> {
          subscriber.onSubscribe(
              new Flow.Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
              });
          subscriber.onNext(42); // no demand yet: against Flow's rules
        };
    RequestRelay<Integer> relay = new RequestRelay<>(rude);
    relay.start();
    Recorder handler = new Recorder(1);
    relay.subscribe(handler);
    Throwable error = handler.end.get(10, TimeUnit.SECONDS);
    assertInstanceOf(IllegalStateException.class, error);
    assertTrue(error.getMessage().contains("nobody asked for"), error.getMessage());
    assertTrue(handler.items.isEmpty());
  }

  @Test
  void aHandlerSubscribingAfterTheCallEndedGetsCancelled() throws Exception {
    try (SubmissionPublisher<Integer> hot = new SubmissionPublisher<>()) {
      RequestRelay<Integer> relay = new RequestRelay<>(hot);
      relay.start();
      relay.cancel();
      Recorder handler = new Recorder(1);
      relay.subscribe(handler);
      Throwable error = handler.end.get(10, TimeUnit.SECONDS);
      assertEquals(Status.Code.CANCELLED, assertInstanceOf(StatusException.class, error).code());
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (hot.hasSubscribers() && System.nanoTime() < until) {
        Thread.sleep(10); // SubmissionPublisher drops a cancelled subscriber lazily
      }
      hot.submit(1);
      assertTrue(!hot.hasSubscribers(), "cancel reached the caller's publisher");
    }
  }
}
