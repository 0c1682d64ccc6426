package dev.runar;

import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import java.util.concurrent.Flow;

/**
 * The publisher a caller gets for a server-streaming call, checked by the Reactive Streams TCK (its
 * authors' tests of the rules): each subscription is a call to {@link NumbersService#count}, on the
 * same node here and across QUIC in {@link Remote}.
 */
public class StreamCallTckTest extends NodesTck {
  public StreamCallTckTest() {
    super(false);
  }

  StreamCallTckTest(boolean remote) {
    super(remote);
  }

  /** Across QUIC. */
  public static final class Remote extends StreamCallTckTest {
    public Remote() {
      super(true);
    }
  }

  @Override
  BindableService service() {
    return new NumbersService();
  }

  @Override
  public Flow.Publisher<Number> createFlowPublisher(long elements) {
    return NumbersRunar.newFutureStub(client)
        .count(CountRequest.newBuilder().setCount(elements).build());
  }

  /** A producer that fails before its first number (no array of -1 bytes). */
  @Override
  public Flow.Publisher<Number> createFailedFlowPublisher() {
    return NumbersRunar.newFutureStub(client)
        .count(CountRequest.newBuilder().setCount(10).setPadding(-1).build());
  }
}
