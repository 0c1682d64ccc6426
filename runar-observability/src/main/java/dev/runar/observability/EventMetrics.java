package dev.runar.observability;

import com.google.protobuf.Message;
import dev.runar.EventDelivery;
import dev.runar.EventInterceptor;
import dev.runar.Metadata;
import dev.runar.registry.TopicPath;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Event metrics: events published, deliveries to subscribers (timed, by subscription pattern and
 * outcome) and events dropped. Topics are not tags (a topic may hold an id, and a peer chooses the
 * topics it sends); patterns are, as subscriptions are few. Thread-safe.
 */
final class EventMetrics implements EventInterceptor {
  private final MeterRegistry registry;
  private final Counter published;
  private final Counter dropped;

  EventMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.published =
        Counter.builder("runar.events.published")
            .description("events published on this node")
            .baseUnit("events")
            .register(registry);
    this.dropped =
        Counter.builder("runar.events.dropped")
            .description("events dropped: a subscriber's queue refused one, or a peer's was bad")
            .baseUnit("events")
            .register(registry);
  }

  @Override
  public void onPublish(TopicPath topic, Message payload, Metadata.Builder metadata) {
    published.increment();
  }

  @Override
  public void interceptDelivery(EventDelivery delivery) throws Exception {
    long start = System.nanoTime();
    String outcome = "error";
    try {
      delivery.proceed();
      outcome = "ok";
    } finally {
      Timer.builder("runar.events.delivered")
          .description("deliveries to subscribers, by subscription and outcome, and their time")
          .tag("subscription", delivery.subscriptionPattern())
          .tag("outcome", outcome)
          .register(registry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void onDropped(String topic, String reason) {
    dropped.increment();
  }
}
