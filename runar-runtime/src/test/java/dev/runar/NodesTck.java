package dev.runar;

import dev.runar.examples.numbers.Number;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * A Reactive Streams TCK class whose publishers come from calls to {@code service}: made by a
 * caller on the same node, or ({@code remote}) on another node across QUIC on 127.0.0.1. The TCK
 * reports as skipped the rules it cannot test ({@code untested_*}) and, for a publisher that takes
 * one subscriber (a handler's requests), the optional ones for several ({@code
 * optional_spec111_*}).
 */
abstract class NodesTck extends FlowPublisherVerification<Number> {
  private final boolean remote;
  private TckNodes nodes;
  protected Node client;

  NodesTck(boolean remote) {
    super(new TestEnvironment(2_000, 100));
    this.remote = remote;
  }

  /** The service the calls go to; it answers {@code square} too. */
  abstract BindableService service();

  @BeforeClass
  public void startNodes() throws Exception {
    nodes = new TckNodes(remote, service());
    client = nodes.client();
  }

  @AfterClass
  public void stopNodes() {
    nodes.close();
  }
}
