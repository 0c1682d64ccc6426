package dev.runar.stub;

import java.util.Iterator;
import java.util.concurrent.Flow;
import java.util.stream.LongStream;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** {@link Publishers#fromIterable}, checked by the Reactive Streams TCK. */
public class PublishersTckTest extends FlowPublisherVerification<Long> {
  public PublishersTckTest() {
    super(new TestEnvironment(1_000, 50));
  }

  @Override
  public Flow.Publisher<Long> createFlowPublisher(long elements) {
    return Publishers.fromIterable(() -> count(elements));
  }

  @Override
  public Flow.Publisher<Long> createFailedFlowPublisher() {
    return Publishers.failed(new IllegalStateException("failed on purpose"));
  }

  static Iterator<Long> count(long elements) {
    return LongStream.range(0, elements).iterator();
  }
}
