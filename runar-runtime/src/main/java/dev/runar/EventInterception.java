package dev.runar;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Message;
import dev.runar.registry.TopicPath;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's {@link EventInterceptor}s applied: metadata attached on publish (within the limit), each
 * delivery run through the chain, drops reported. Thread-safe; with no interceptors every step is a
 * pass-through.
 */
final class EventInterception {
  private static final Logger log = LoggerFactory.getLogger(EventInterception.class);

  private final ImmutableList<EventInterceptor> interceptors;
  private final int maxMetadataSize;

  EventInterception(ImmutableList<EventInterceptor> interceptors, int maxMetadataSize) {
    this.interceptors = interceptors;
    this.maxMetadataSize = maxMetadataSize;
  }

  /**
   * The metadata the interceptors attach to an event being published.
   *
   * @throws StatusException RESOURCE_EXHAUSTED when it is over the limit
   */
  Metadata onPublish(TopicPath topic, Message payload) {
    if (interceptors.isEmpty()) {
      return Metadata.EMPTY;
    }
    Metadata.Builder builder = Metadata.builder();
    for (EventInterceptor interceptor : interceptors) {
      try {
        interceptor.onPublish(topic, payload, builder);
      } catch (RuntimeException e) {
        log.warn("event interceptor {} failed on publishing to {}", interceptor, topic, e);
      }
    }
    Metadata metadata = builder.build();
    Optional<Status> tooLarge = tooLarge(topic.toString(), metadata);
    if (tooLarge.isPresent()) {
      throw tooLarge.get().asException();
    }
    return metadata;
  }

  /** Why a peer's event with {@code metadata} must be dropped, if it must. */
  Optional<Status> tooLarge(String topic, Metadata metadata) {
    return MetadataLimit.check(
        "the metadata of an event on %s is", topic, metadata.size(), maxMetadataSize);
  }

  /** Delivers {@code event} to {@code handler} through the interceptors. */
  void deliver(Event event, TopicPath pattern, EventHandler handler) throws Exception {
    if (interceptors.isEmpty()) {
      handler.onEvent(event);
    } else {
      new EventDelivery(event, pattern.toString(), interceptors, handler).proceed();
    }
  }

  /** Tells the interceptors an event was dropped, and logs it. */
  void dropped(String topic, String reason) {
    log.warn("dropped an event on {}: {}", topic, reason);
    for (EventInterceptor interceptor : interceptors) {
      try {
        interceptor.onDropped(topic, reason);
      } catch (RuntimeException e) {
        log.warn("event interceptor {} failed on a drop", interceptor, e);
      }
    }
  }
}
