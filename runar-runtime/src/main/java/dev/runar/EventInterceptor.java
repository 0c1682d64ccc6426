package dev.runar;

import com.google.protobuf.Message;
import dev.runar.registry.TopicPath;

/**
 * Sees the events a node publishes and every delivery to its subscribers: where metrics count
 * events and tracing carries the publisher's trace context to each subscriber. Install with {@link
 * NodeConfig.Builder#eventInterceptor} or through a {@link NodeExtension}; interceptors run in the
 * order installed.
 *
 * <p>Threading: {@link #onPublish} runs on the publishing thread; {@link #interceptDelivery} on the
 * thread delivering to one subscriber (one subscriber's deliveries run one at a time, in publish
 * order); {@link #onDropped} on whatever thread dropped the event. One interceptor serves every
 * event: make it thread-safe. An {@code onPublish} or {@code onDropped} that throws is logged and
 * skipped: observing never breaks publishing. What {@code interceptDelivery} throws counts as the
 * subscriber's failure: logged, and the subscription goes on.
 */
public interface EventInterceptor {
  /**
   * Before anyone receives the event: may attach metadata (at most {@link
   * NodeConfig#maxMetadataSize()} in all), which travels with the event to every subscriber, local
   * or remote ({@link Event#metadata()}).
   */
  default void onPublish(TopicPath topic, Message payload, Metadata.Builder metadata) {}

  /**
   * Around one delivery of an event to one local subscriber: {@link EventDelivery#proceed()} runs
   * the later interceptors and then the subscriber's handler, and throws what the handler threw.
   * Not calling it skips the delivery.
   */
  default void interceptDelivery(EventDelivery delivery) throws Exception {
    delivery.proceed();
  }

  /**
   * An event this node dropped rather than deliver: a subscriber's queue refused it (executor
   * full), or a peer's event was malformed (topic, metadata over the limit).
   *
   * @param topic the event's topic as published (for a malformed one, as received)
   * @param reason why, for people
   */
  default void onDropped(String topic, String reason) {}
}
