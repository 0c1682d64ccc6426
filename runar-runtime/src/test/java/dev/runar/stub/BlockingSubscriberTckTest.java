package dev.runar.stub;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;

/**
 * {@link BlockingSubscriber}, the subscriber blocking stubs read any publisher with, checked by the
 * Reactive Streams TCK from the outside (it asks for {@value BlockingSubscriber#PREFETCH} items on
 * subscribing). The TCK reports the rules it cannot test ({@code untested_*}) as skipped.
 */
public class BlockingSubscriberTckTest extends FlowSubscriberBlackboxVerification<Integer> {
  public BlockingSubscriberTckTest() {
    super(new TestEnvironment(1_000, 50));
  }

  @Override
  public Flow.Subscriber<Integer> createFlowSubscriber() {
    return new BlockingSubscriber<>();
  }

  @Override
  public Integer createElement(int element) {
    return element;
  }
}
