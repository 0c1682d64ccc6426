package dev.runar;

import static dev.runar.NumbersService.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import dev.runar.stub.BlockingSubscriber;
import dev.runar.stub.Publishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every call shape, its cancellation, deadlines and backpressure. Here caller and service share a
 * node; {@link RemoteStreamingTest} runs the same cases across QUIC.
 */
class StreamingTest {
  protected Node server;
  protected Node client;
  protected NumbersService service;

  /** The nodes: one here; two connected over QUIC in the remote variant. */
  protected void startNodes() throws Exception {
    server = TestServices.startedNode();
    client = server;
  }

  @BeforeEach
  void setUp() throws Exception {
    startNodes();
    service = new NumbersService();
    server.addService(service);
    awaitReachable();
  }

  /** Waits until the client can call the service (immediate for one node). */
  protected void awaitReachable() throws Exception {}

  @AfterEach
  void tearDown() {
    client.stop();
    server.stop();
  }

  private NumbersRunar.NumbersBlockingStub blocking() {
    return NumbersRunar.newBlockingStub(client);
  }

  private static List<Long> values(Iterable<Number> numbers) {
    List<Long> values = new ArrayList<>();
    numbers.forEach(n -> values.add(n.getValue()));
    return values;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void serverStreaming() {
    try (BlockingStream<Number> numbers =
        blocking().count(CountRequest.newBuilder().setCount(5).build())) {
      List<Long> seen = new ArrayList<>();
      numbers.forEachRemaining(n -> seen.add(n.getValue()));
      assertEquals(range(1, 5), seen);
    }
  }

  @Test
  void clientStreamingBlockingAndFuture() throws Exception {
    List<Number> numbers = range(1, 100).stream().map(NumbersService::number).toList();
    assertEquals(5050, blocking().sum(numbers).getValue());
    assertEquals(
        5050,
        NumbersRunar.newFutureStub(client)
            .sum(Publishers.fromIterable(numbers))
            .get(10, TimeUnit.SECONDS)
            .getValue());
  }

  @Test
  void bidirectionalStreaming() {
    List<Number> numbers = range(1, 10).stream().map(NumbersService::number).toList();
    List<Long> doubled = new ArrayList<>();
    try (BlockingStream<Number> out = blocking().double_(numbers)) {
      out.forEachRemaining(n -> doubled.add(n.getValue()));
    }
    assertEquals(range(1, 10).stream().map(v -> 2 * v).toList(), doubled);
  }

  /**
   * A hot publisher (one that delivers only to the subscribers it has) loses nothing: the call
   * subscribes to it when it starts, before the handler runs, here as across the network.
   */
  @Test
  void aHotRequestPublisherLosesNothing() throws Exception {
    for (int round = 0; round < 20; round++) {
      try (SubmissionPublisher<Number> requests = new SubmissionPublisher<>()) {
        CompletableFuture<Number> sum = NumbersRunar.newFutureStub(client).sum(requests);
        range(1, 100).forEach(v -> requests.submit(number(v)));
        requests.close();
        assertEquals(5050, sum.get(10, TimeUnit.SECONDS).getValue(), "round " + round);
      }
    }
  }

  @Test
  void aHotRequestPublisherLosesNothingInABidiCall() throws Exception {
    try (SubmissionPublisher<Number> requests = new SubmissionPublisher<>()) {
      BlockingStream<Number> doubled =
          BlockingSubscriber.subscribe(NumbersRunar.newFutureStub(client).double_(requests));
      range(1, 10).forEach(v -> requests.submit(number(v)));
      requests.close();
      List<Long> seen = new ArrayList<>();
      doubled.forEachRemaining(n -> seen.add(n.getValue()));
      assertEquals(range(1, 10).stream().map(v -> 2 * v).toList(), seen);
    }
  }

  @Test
  void unaryBesideStreams() {
    assertEquals(49, blocking().square(number(7)).getValue());
  }

  @Test
  void closingEarlyCancelsTheProducer() throws Exception {
    try (BlockingStream<Number> numbers =
        blocking().count(CountRequest.newBuilder().setCount(1_000_000).build())) {
      for (int i = 1; i <= 3; i++) {
        assertEquals(i, numbers.next().getValue());
      }
    }
    assertTrue(service.producerStopped.await(10, TimeUnit.SECONDS), "the producer kept going");
    assertEquals(Status.Code.CANCELLED, service.producerEnd.code());
    assertTrue(service.sent.get() < 1_000_000);
  }

  /**
   * Asking for no responses is the caller's mistake (Reactive Streams rule 3.9): its subscriber
   * gets an {@link IllegalArgumentException}, then nothing, and the producer is cancelled, where
   * the call used to read it as "all of them" and flood the caller.
   */
  @Test
  void requestingNoResponsesFailsTheCallerAndCancelsTheProducer() throws Exception {
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    List<String> afterTheError = new java.util.concurrent.CopyOnWriteArrayList<>();
    NumbersRunar.newFutureStub(client)
        .count(CountRequest.newBuilder().setCount(1_000_000).build())
        .subscribe(
            new Flow.Subscriber<Number>() {
              private Flow.Subscription subscription;

              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
              }

              private boolean inOnNext;

              @Override
              public void onNext(Number item) {
                if (error.isDone()) {
                  afterTheError.add("onNext " + item.getValue());
                } else {
                  inOnNext = true;
                  subscription.request(0);
                  inOnNext = false;
                }
              }

              @Override
              public void onError(Throwable t) {
                if (inOnNext) {
                  afterTheError.add("onError inside onNext (rule 1.3)");
                }
                if (!error.complete(t)) {
                  afterTheError.add("onError " + t);
                }
              }

              @Override
              public void onComplete() {
                afterTheError.add("onComplete");
              }
            });
    assertInstanceOf(IllegalArgumentException.class, error.get(10, TimeUnit.SECONDS));
    assertTrue(service.producerStopped.await(10, TimeUnit.SECONDS), "the producer kept going");
    assertEquals(Status.Code.CANCELLED, service.producerEnd.code());
    assertTrue(service.sent.get() < 1_000_000);
    assertEquals(List.of(), afterTheError);
    assertEquals(49, blocking().square(number(7)).getValue());
  }

  /**
   * A handler that asks for every request in its {@code onSubscribe} gets them once that returns,
   * and a caller's endless publisher that delivers on the requesting thread is asked only for what
   * the handler takes, where all of it used to pile up while {@code onSubscribe} ran.
   */
  @Test
  void aHandlerAskingForEverythingInOnSubscribeTakesWhatItWants() throws Exception {
    service.sumTakesTen = true;
    java.util.concurrent.atomic.AtomicLong produced = new java.util.concurrent.atomic.AtomicLong();
    Iterable<Number> endless =
        () ->
            new java.util.Iterator<>() {
              @Override
              public boolean hasNext() {
                return produced.get() < 3_000_000; // ends, so a regression fails, not the JVM
              }

              @Override
              public Number next() {
                return number(produced.incrementAndGet());
              }
            };
    Number reply =
        NumbersRunar.newFutureStub(client)
            .sum(Publishers.fromIterable(endless))
            .get(30, TimeUnit.SECONDS);
    assertEquals(55, reply.getValue());
    if (client == server) { // across the network the caller sends ahead, as flow control allows
      assertTrue(produced.get() <= 100, () -> produced.get() + " numbers produced for 10");
    }
  }

  /**
   * A caller that asks for none in an {@code onNext} nested in another (its request delivered the
   * next response at once) gets the error after the outer {@code onNext} returns (rule 1.3).
   */
  @Test
  void noneAskedForInANestedOnNextFailsTheCallerAfterTheOuterOne() throws Exception {
    service.countInline = true;
    List<String> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    NumbersRunar.newFutureStub(client)
        .count(CountRequest.newBuilder().setCount(100).build())
        .subscribe(
            new Flow.Subscriber<Number>() {
              private Flow.Subscription subscription;
              private int depth;

              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
              }

              @Override
              public void onNext(Number item) {
                depth++;
                signals.add("next " + item.getValue() + " at depth " + depth);
                if (item.getValue() == 1) {
                  subscription.request(1); // on one node, number 2 arrives inside this call
                } else {
                  subscription.request(0);
                }
                depth--;
              }

              @Override
              public void onError(Throwable t) {
                signals.add("error at depth " + depth);
                ended.complete(null);
              }

              @Override
              public void onComplete() {
                signals.add("complete");
                ended.complete(null);
              }
            });
    ended.get(10, TimeUnit.SECONDS);
    assertEquals("error at depth 0", signals.get(signals.size() - 1), signals::toString);
  }

  /** A caller's request publisher that sends null fails its call at once (rule 2.13). */
  @Test
  void aNullRequestFailsTheCall() {
    Flow.Publisher<Number> sendsNull =
        subscriber ->
            subscriber.onSubscribe(
                new Flow.Subscription() {
                  private boolean sent;

                  @Override
                  public void request(long n) {
                    if (!sent) {
                      sent = true;
                      try {
                        subscriber.onNext(null);
                      } catch (NullPointerException expected) {
                        // rule 2.13: the subscriber throws, and the call ends
                      }
                    }
                  }

                  @Override
                  public void cancel() {}
                });
    CompletableFuture<Number> sum =
        NumbersRunar.newFutureStub(client).withTimeout(Duration.ofSeconds(30)).sum(sendsNull);
    java.util.concurrent.ExecutionException failure =
        assertThrows(
            java.util.concurrent.ExecutionException.class, () -> sum.get(10, TimeUnit.SECONDS));
    assertFalse(
        Status.fromThrowable(failure.getCause()).code() == Status.Code.DEADLINE_EXCEEDED,
        failure.getCause()::toString);
  }

  /**
   * A handler asking for no requests gets rule 3.9's error for it, from a local or remote caller.
   */
  @Test
  void aHandlerRequestingNoRequestsGetsTheRulesError() throws Exception {
    service.sumRequestsNone = true;
    Number reply =
        NumbersRunar.newFutureStub(client)
            .sum(Publishers.fromIterable(List.of(number(1), number(2))))
            .get(10, TimeUnit.SECONDS);
    assertEquals(1, reply.getValue(), "the handler did not get an IllegalArgumentException");
  }

  @Test
  void aDeadlineEndsTheStreamOnBothSides() throws Exception {
    BlockingStream<Number> numbers =
        blocking()
            .withTimeout(Duration.ofMillis(400))
            .count(CountRequest.newBuilder().setCount(1_000).setPauseMillis(20).build());
    int read = 0;
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> {
              while (numbers.hasNext()) {
                numbers.next();
              }
            });
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
    assertTrue(service.producerStopped.await(10, TimeUnit.SECONDS), "the producer kept going");
    assertFalse(service.producerEnd.isOk());
    assertTrue(
        service.sent.get() > 0 && service.sent.get() < 1_000,
        "sent " + service.sent.get() + ", read " + read);
  }

  @Test
  void aHundredThousandMessagesInOrder() {
    long expected = 1;
    try (BlockingStream<Number> numbers =
        blocking()
            .withTimeout(Duration.ofSeconds(60))
            .count(CountRequest.newBuilder().setCount(100_000).build())) {
      while (numbers.hasNext()) {
        assertEquals(expected++, numbers.next().getValue());
      }
    }
    assertEquals(100_001, expected);
  }

  /** How far a fast producer may run ahead of a slow consumer. */
  protected long backpressureBound() {
    return 64; // the blocking reader's prefetch window, with room to spare
  }

  @Test
  void aSlowConsumerHoldsBackAFastProducer() throws Exception {
    long maxAhead = 0;
    try (BlockingStream<Number> numbers =
        blocking()
            .withTimeout(Duration.ofSeconds(60))
            .count(CountRequest.newBuilder().setCount(100_000).setPadding(1024).build())) {
      for (int consumed = 1; consumed <= 300; consumed++) {
        numbers.next();
        if (consumed % 50 == 0) {
          Thread.sleep(50); // slow: the producer must wait for us
          maxAhead = Math.max(maxAhead, service.sent.get() - consumed);
        }
      }
    }
    assertTrue(maxAhead <= backpressureBound(), "producer ran " + maxAhead + " messages ahead");
  }
}
