package dev.runar;

import com.google.protobuf.Message;
import dev.runar.registry.TopicPath;
import java.util.Objects;

/**
 * A typed event topic: a concrete path and the message type published on it. Generated code
 * declares one per message marked with {@code option (runar.event) = {topic: "..."}}; {@link
 * Node#publish(Topic, Message)} and {@link Node#subscribe(Topic, java.util.function.Consumer)} use
 * it so that subscribers receive the message type, not bytes.
 *
 * @param <T> the event's message type
 */
public final class Topic<T extends Message> {
  private final String path;
  private final T prototype;

  private Topic(String path, T prototype) {
    TopicPath parsed = TopicPath.parse(path);
    if (parsed.isPattern()) {
      throw new IllegalArgumentException("a topic must be a concrete path: " + path);
    }
    this.path = path;
    this.prototype = Objects.requireNonNull(prototype, "prototype");
  }

  /** The topic at {@code path} carrying messages of {@code prototype}'s type. */
  public static <T extends Message> Topic<T> of(String path, T prototype) {
    return new Topic<>(path, prototype);
  }

  public String path() {
    return path;
  }

  /** The message type's default instance. */
  public T prototype() {
    return prototype;
  }

  @SuppressWarnings("unchecked")
  Class<T> messageClass() {
    return (Class<T>) prototype.getClass();
  }

  @Override
  public String toString() {
    return "Topic[" + path + " : " + prototype.getDescriptorForType().getFullName() + "]";
  }
}
