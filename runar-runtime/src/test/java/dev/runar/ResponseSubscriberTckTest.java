package dev.runar;

import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import dev.runar.stub.BlockingSubscriber;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The subscriber a server-streaming call reads its handler's response publisher with, checked by
 * the Reactive Streams TCK from the outside: the TCK plays the publisher an async handler of {@code
 * count} returns, and a caller reads every response. Caller and handler share a node here, and are
 * on two nodes across QUIC in {@link Remote}.
 */
public class ResponseSubscriberTckTest extends NodesSubscriberTck {
  /** Returns a publisher that hands its subscriber to the test. */
  private static final class HandsOutResponses extends NumbersRunar.NumbersImplBase {
    final BlockingQueue<Flow.Subscriber<? super Number>> subscribers = new LinkedBlockingQueue<>();

    @Override
    public Number square(Number request) {
      return request;
    }

    @Override
    public Flow.Publisher<Number> countAsync(CountRequest request) {
      return subscribers::add;
    }
  }

  private final HandsOutResponses service = new HandsOutResponses();

  public ResponseSubscriberTckTest() {
    this(false);
  }

  ResponseSubscriberTckTest(boolean remote) {
    super(remote);
  }

  /** Across QUIC. */
  public static final class Remote extends ResponseSubscriberTckTest {
    public Remote() {
      super(true);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Flow.Subscriber<Number> createFlowSubscriber() {
    // A caller reading every response, on a thread of its own.
    Thread reader =
        new Thread(
            () -> {
              try (BlockingSubscriber<Number> responses =
                  BlockingSubscriber.subscribe(
                      NumbersRunar.newFutureStub(client())
                          .withTimeout(Duration.ofSeconds(60))
                          .count(CountRequest.getDefaultInstance()))) {
                responses.forEachRemaining(n -> {});
              } catch (StatusException e) {
                // the TCK ends some calls with a failure
              }
            },
            "tck-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      Flow.Subscriber<? super Number> subscriber = service.subscribers.poll(10, TimeUnit.SECONDS);
      if (subscriber == null) {
        throw new AssertionError("the handler's publisher was not subscribed to within 10 s");
      }
      return (Flow.Subscriber<Number>) subscriber;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  BindableService service() {
    return service;
  }
}
