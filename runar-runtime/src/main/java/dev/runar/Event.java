package dev.runar;

import com.google.protobuf.Any;
import com.google.protobuf.Internal;
import com.google.protobuf.Message;
import dev.runar.registry.TopicPath;
import java.util.Objects;

/**
 * One published event as a subscriber receives it: the concrete topic it was published on (not the
 * subscriber's pattern), its payload, and the metadata its publisher's event interceptors attached.
 * Immutable.
 */
public final class Event {
  private final TopicPath topic;
  private final Message payload;
  private final Metadata metadata;

  Event(TopicPath topic, Message payload, Metadata metadata) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.payload = Objects.requireNonNull(payload, "payload");
    this.metadata = Objects.requireNonNull(metadata, "metadata");
  }

  public TopicPath topic() {
    return topic;
  }

  /**
   * The payload as published; for an event from another node, an {@link Any} holding it (this node
   * cannot know its class): read it with {@link #payload(Class)}.
   */
  public Message payload() {
    return payload;
  }

  /**
   * What the publishing node's {@link EventInterceptor}s attached (such as the publisher's trace
   * context); empty when they attached nothing.
   */
  public Metadata metadata() {
    return metadata;
  }

  /** The full protobuf name of the payload's type, e.g. {@code sensors.TemperatureReading}. */
  public String typeName() {
    if (payload instanceof Any any) {
      return any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    }
    return payload.getDescriptorForType().getFullName();
  }

  /** Whether the payload is a {@code type}, locally or from another node. */
  public boolean is(Class<? extends Message> type) {
    return typeName()
        .equals(Internal.getDefaultInstance(type).getDescriptorForType().getFullName());
  }

  /**
   * The payload as {@code type}: the published object itself when it is one, else the payload
   * re-read as that type when both are the same protobuf message.
   *
   * @throws StatusException with {@link Status.Code#INVALID_ARGUMENT} when the payload is another
   *     message type
   */
  public <T extends Message> T payload(Class<T> type) {
    return Messages.coerce(payload, Internal.getDefaultInstance(type));
  }

  @Override
  public String toString() {
    return "Event[" + topic + " : " + payload.getDescriptorForType().getFullName() + "]";
  }
}
