package dev.runar.examples.chat;

import dev.runar.Topic;
import javax.annotation.processing.Generated;

/**
 * Typed event topics declared in {@code chat/chat.proto}: publish with {@code node.publish(TOPIC, event)}, receive the message type with {@code node.subscribe(TOPIC, handler)}.
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: chat/chat.proto"
)
public final class ChatTopics {
  /**
   * {@code chat/posted}: Published after a message was posted.
   */
  public static final Topic<ChatProtos.ChatPosted> CHAT_POSTED = Topic.of("chat/posted", ChatProtos.ChatPosted.getDefaultInstance());

  /**
   * {@code chat/reactions}: Reaction
   */
  public static final Topic<ChatProtos.ChatPosted.Reaction> CHAT_POSTED_REACTION = Topic.of("chat/reactions", ChatProtos.ChatPosted.Reaction.getDefaultInstance());

  private ChatTopics() {
  }
}
