package dev.runar;

import com.google.protobuf.Internal;
import com.google.protobuf.Message;
import dev.runar.registry.TopicPath;
import java.util.Objects;

/**
 * One published event as a subscriber receives it: the concrete topic it was published on (not the
 * subscriber's pattern) and its payload.
 */
public final class Event {
  private final TopicPath topic;
  private final Message payload;

  Event(TopicPath topic, Message payload) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.payload = Objects.requireNonNull(payload, "payload");
  }

  public TopicPath topic() {
    return topic;
  }

  /** The payload as published. */
  public Message payload() {
    return payload;
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
