package dev.runar.observability;

import com.google.protobuf.Message;
import dev.runar.EventDelivery;
import dev.runar.EventInterceptor;
import dev.runar.Metadata;
import dev.runar.registry.TopicPath;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Event metrics: events published, deliveries to subscribers (timed, by subscription pattern and
 * outcome) and events dropped. Topics are not tags (a topic may hold an id, and a peer chooses the
 * topics it sends); patterns are, as subscriptions are few. Thread-safe.
 */
final class EventMetrics implements EventInterceptor {
  private final MeterRegistry registry;
  private final Counter published;
  private final Counter dropped;
  private final Map<String, List<Timer>> deliveries = new ConcurrentHashMap<>();

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
    boolean ok = false;
    try {
      delivery.proceed();
      ok = true;
    } finally {
      deliveries
          .computeIfAbsent(delivery.subscriptionPattern(), this::deliveryTimers)
          .get(ok ? 0 : 1)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** The delivery timers of one subscription pattern: ok, then error. */
  private List<Timer> deliveryTimers(String pattern) {
    return Stream.of("ok", "error")
        .map(
            outcome ->
                Timer.builder("runar.events.delivered")
                    .description(
                        "deliveries to subscribers, by subscription and outcome, and their time")
                    .tag("subscription", pattern)
                    .tag("outcome", outcome)
                    .register(registry))
        .toList();
  }

  @Override
  public void onDropped(String topic, String reason) {
    dropped.increment();
  }
}
