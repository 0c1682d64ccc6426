package dev.runar.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.runar.StatusException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The publishers stubs hand out refuse {@code request(n <= 0)} as Reactive Streams' rule 3.9 asks:
 * an {@link IllegalArgumentException} to the subscriber, after the items it asked for and before
 * nothing else; they used to read it as "all of them".
 */
class PublishersRule39Test {
  /** Requests two, then {@code bad} once the second arrives; records every signal. */
  private static final class Recorder implements Flow.Subscriber<Integer> {
    final List<String> signals = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final long bad;
    private Flow.Subscription subscription;

    Recorder(long bad) {
      this.bad = bad;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(2);
    }

    @Override
    public void onNext(Integer item) {
      signals.add("next " + item);
      if (item == 2) {
        subscription.request(bad);
      }
    }

    @Override
    public void onError(Throwable error) {
      signals.add("error " + error.getClass().getSimpleName());
      ended.complete(null);
    }

    @Override
    public void onComplete() {
      signals.add("complete");
      ended.complete(null);
    }
  }

  @Test
  void fromIterable() throws Exception {
    for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
      Recorder recorder = new Recorder(bad);
      Publishers.fromIterable(List.of(1, 2, 3, 4)).subscribe(recorder);
      recorder.ended.get(5, TimeUnit.SECONDS);
      assertEquals(
          List.of("next 1", "next 2", "error IllegalArgumentException"),
          recorder.signals,
          "request(" + bad + ")");
    }
  }

  @Test
  void aSinkPublisherStopsItsBodyAndSignalsTheErrorAfterIt() throws Exception {
    Recorder recorder = new Recorder(0);
    CompletableFuture<Throwable> bodyEnd = new CompletableFuture<>();
    Thread producer =
        new Thread(
            () ->
                new SinkPublisher<Integer>(
                        sink -> {
                          try {
                            for (int i = 1; i <= 1_000; i++) {
                              sink.send(i);
                            }
                            bodyEnd.complete(new AssertionError("sent all 1,000"));
                          } catch (StatusException e) {
                            bodyEnd.complete(e);
                            throw e;
                          }
                        })
                    .subscribe(recorder));
    producer.start();
    assertInstanceOf(StatusException.class, bodyEnd.get(5, TimeUnit.SECONDS));
    recorder.ended.get(5, TimeUnit.SECONDS);
    producer.join(5_000);
    assertFalse(producer.isAlive(), "the body still runs");
    assertEquals(List.of("next 1", "next 2", "error IllegalArgumentException"), recorder.signals);
  }
}
