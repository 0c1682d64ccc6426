package dev.runar;

import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import dev.runar.stub.Publishers;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * The publisher a handler reads a client-streaming call's requests from, checked by the Reactive
 * Streams TCK: each publisher is a call to {@code sum} whose caller sends the numbers the TCK asks
 * for, and whose handler hands its request publisher to the TCK. Caller and handler share a node
 * here, and are on two nodes across QUIC in {@link Remote}.
 */
public class HandlerRequestsTckTest extends NodesTck {
  /** Hands each call's request publisher out; its calls end when the nodes stop. */
  private static final class HandsOutRequests extends NumbersRunar.NumbersImplBase {
    final BlockingQueue<Flow.Publisher<Number>> requests = new LinkedBlockingQueue<>();

    @Override
    public Number square(Number request) {
      return request;
    }

    @Override
    public CompletionStage<Number> sumAsync(Flow.Publisher<Number> requests) {
      this.requests.add(requests);
      return new CompletableFuture<>();
    }
  }

  private final HandsOutRequests service = new HandsOutRequests();

  public HandlerRequestsTckTest() {
    super(false);
  }

  HandlerRequestsTckTest(boolean remote) {
    super(remote);
  }

  /** Across QUIC. */
  public static final class Remote extends HandlerRequestsTckTest {
    public Remote() {
      super(true);
    }
  }

  @Override
  BindableService service() {
    return service;
  }

  @Override
  public Flow.Publisher<Number> createFlowPublisher(long elements) {
    return handlerOf(
        Publishers.fromIterable(
            () -> LongStream.range(0, elements).mapToObj(NumbersService::number).iterator()));
  }

  /**
   * The caller's publisher fails before its first number, once the handler runs (failing at once,
   * it could end the call before the handler was called).
   */
  @Override
  public Flow.Publisher<Number> createFailedFlowPublisher() {
    CompletableFuture<Flow.Subscriber<? super Number>> caller = new CompletableFuture<>();
    Flow.Publisher<Number> handed =
        handlerOf(
            subscriber -> {
              subscriber.onSubscribe(
                  new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                  });
              caller.complete(subscriber);
            });
    try {
      caller
          .get(10, TimeUnit.SECONDS)
          .onError(Status.ABORTED.withDescription("on purpose").asException());
    } catch (Exception e) {
      throw new AssertionError("the call did not subscribe to its requests within 10 s", e);
    }
    return handed;
  }

  /** Starts a call sending {@code requests}; returns the publisher its handler reads them from. */
  private Flow.Publisher<Number> handlerOf(Flow.Publisher<Number> requests) {
    NumbersRunar.newFutureStub(client).withTimeout(Duration.ofSeconds(60)).sum(requests);
    try {
      Flow.Publisher<Number> handed = service.requests.poll(10, TimeUnit.SECONDS);
      if (handed == null) {
        throw new AssertionError("the handler was not called within 10 s");
      }
      return handed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
