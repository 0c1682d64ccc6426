package dev.runar;

import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * The subscriber a client-streaming call reads its caller's request publisher with, checked by the
 * Reactive Streams TCK from the outside: the TCK plays the caller's publisher of a call to {@link
 * NumbersService#sum}, whose handler reads every request. Caller and handler share a node here, and
 * are on two nodes across QUIC in {@link Remote}. The TCK reports the rules it cannot test from the
 * outside as skipped.
 */
public class RequestSubscriberTckTest extends NodesSubscriberTck {
  public RequestSubscriberTckTest() {
    this(false);
  }

  RequestSubscriberTckTest(boolean remote) {
    super(remote);
  }

  /** Across QUIC. */
  public static final class Remote extends RequestSubscriberTckTest {
    public Remote() {
      super(true);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Flow.Subscriber<Number> createFlowSubscriber() {
    CompletableFuture<Flow.Subscriber<? super Number>> subscriber = new CompletableFuture<>();
    NumbersRunar.newFutureStub(client())
        .withTimeout(Duration.ofSeconds(60))
        .sum(subscriber::complete);
    try {
      return (Flow.Subscriber<Number>) subscriber.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the call did not subscribe to its requests within 10 s", e);
    }
  }

  @Override
  BindableService service() {
    return new NumbersService();
  }
}
