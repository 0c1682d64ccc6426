package dev.runar;

import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * The publisher a caller gets for a server-streaming call, checked by the Reactive Streams TCK (its
 * authors' tests of the rules): each subscription is a call to {@link NumbersService#count}, on the
 * same node here, across QUIC in {@link Remote}, and across QUIC with a retry policy (whose stream
 * relays each attempt's) in {@link Retrying}.
 */
public class StreamCallTckTest extends NodesTck {
  public StreamCallTckTest() {
    this(false, Optional.empty());
  }

  private final Optional<RetryPolicy> retries;

  StreamCallTckTest(boolean remote, Optional<RetryPolicy> retries) {
    super(remote);
    this.retries = retries;
  }

  /** Across QUIC. */
  public static final class Remote extends StreamCallTckTest {
    public Remote() {
      super(true, Optional.empty());
    }
  }

  /** Across QUIC, with retries. */
  public static final class Retrying extends StreamCallTckTest {
    public Retrying() {
      super(
          true,
          Optional.of(
              RetryPolicy.builder()
                  .maxAttempts(3)
                  .initialBackoff(Duration.ofMillis(5))
                  .maxBackoff(Duration.ofMillis(20))
                  .build()));
    }
  }

  private NumbersRunar.NumbersFutureStub stub() {
    NumbersRunar.NumbersFutureStub stub = NumbersRunar.newFutureStub(client);
    return retries.isPresent() ? stub.withRetryPolicy(retries.get()) : stub;
  }

  @Override
  BindableService service() {
    return new NumbersService();
  }

  @Override
  public Flow.Publisher<Number> createFlowPublisher(long elements) {
    return stub().count(CountRequest.newBuilder().setCount(elements).build());
  }

  /** A producer that fails before its first number (no array of -1 bytes). */
  @Override
  public Flow.Publisher<Number> createFailedFlowPublisher() {
    return stub().count(CountRequest.newBuilder().setCount(10).setPadding(-1).build());
  }
}
