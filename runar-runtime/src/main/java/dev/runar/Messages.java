package dev.runar;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

/** Conversions between protobuf messages handed across the node's API. */
final class Messages {
  private Messages() {}

  /**
   * {@code message} as {@code prototype}'s class: the object itself when it already is one (the
   * local fast path: no copy), else re-read from its bytes when it is the same protobuf type in
   * another representation (a {@code DynamicMessage}, say).
   *
   * @throws StatusException INVALID_ARGUMENT when it is another protobuf type
   */
  @SuppressWarnings("unchecked")
  static <T extends Message> T coerce(Message message, T prototype) {
    if (prototype.getClass().isInstance(message)) {
      return (T) message;
    }
    String expected = prototype.getDescriptorForType().getFullName();
    String actual = message.getDescriptorForType().getFullName();
    if (!expected.equals(actual)) {
      throw Status.INVALID_ARGUMENT
          .withDescription("expected a " + expected + " but got a " + actual)
          .asException();
    }
    try {
      return (T) prototype.getParserForType().parseFrom(message.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("cannot read " + expected + ": " + e.getMessage())
          .withCause(e)
          .asException();
    }
  }
}
