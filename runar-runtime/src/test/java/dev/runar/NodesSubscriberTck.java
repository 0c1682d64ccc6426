package dev.runar;

import dev.runar.examples.numbers.Number;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * A Reactive Streams TCK class whose subscribers are Runar's, taken from calls to {@code service}:
 * made by a caller on the same node, or ({@code remote}) on another node across QUIC on 127.0.0.1.
 * The TCK reports the rules it cannot test from the outside as skipped.
 */
abstract class NodesSubscriberTck extends FlowSubscriberBlackboxVerification<Number> {
  private final boolean remote;
  private TckNodes nodes;

  NodesSubscriberTck(boolean remote) {
    super(new TestEnvironment(2_000, 100));
    this.remote = remote;
  }

  /** The service the calls go to; it answers {@code square} too. */
  abstract BindableService service();

  /** The node that makes the calls. */
  Node client() {
    return nodes.client();
  }

  @BeforeClass
  public void startNodes() throws Exception {
    nodes = new TckNodes(remote, service());
  }

  @AfterClass
  public void stopNodes() {
    nodes.close();
  }

  @Override
  public Number createElement(int element) {
    return NumbersService.number(element);
  }
}
