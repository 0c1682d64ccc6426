package dev.runar;

import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The publisher a caller gets for a server-streaming call, checked by the Reactive Streams TCK (its
 * authors' tests of the rules): each subscription is a call to {@link NumbersService#count}, on the
 * same node here and across QUIC in {@link RemoteStreamCallTckTest}. The TCK reports the rules it
 * cannot test ({@code untested_*}) as skipped.
 */
public class StreamCallTckTest extends FlowPublisherVerification<Number> {
  protected Node server;
  protected Node client;

  public StreamCallTckTest() {
    super(new TestEnvironment(2_000, 100));
  }

  @BeforeClass
  public void startNodes() throws Exception {
    server = TestServices.startedNode();
    server.addService(new NumbersService());
    client = server;
  }

  @AfterClass
  public void stopNodes() {
    client.stop();
    server.stop();
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
