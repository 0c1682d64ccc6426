package dev.runar;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

/** Conversions between protobuf messages handed across the node's API. */
final class Messages {
  private static final String TYPE_URL_PREFIX = "type.googleapis.com/";

  private Messages() {}

  /**
   * {@code message} as {@code prototype}'s class: the object itself when it already is one (the
   * local fast path: no copy), else re-read from its bytes when it is the same protobuf type in
   * another representation (a {@code DynamicMessage}, say) or an {@link Any} holding one (a payload
   * from another node).
   *
   * @throws StatusException INVALID_ARGUMENT when it is another protobuf type
   */
  @SuppressWarnings("unchecked")
  static <T extends Message> T coerce(Message message, T prototype) {
    if (prototype.getClass().isInstance(message)) {
      return (T) message;
    }
    if (message instanceof Any any) {
      return unpack(any, prototype);
    }
    String expected = prototype.getDescriptorForType().getFullName();
    String actual = message.getDescriptorForType().getFullName();
    if (!expected.equals(actual)) {
      throw Status.INVALID_ARGUMENT
          .withDescription("expected a " + expected + " but got a " + actual)
          .asException();
    }
    return parse(message.toByteString(), prototype);
  }

  /**
   * A payload from another node, whose type the receiver did not know when it arrived: an {@link
   * Any} with the type's full name and the bytes.
   */
  static Any wrap(String typeName, ByteString payload) {
    return Any.newBuilder().setTypeUrl(TYPE_URL_PREFIX + typeName).setValue(payload).build();
  }

  /**
   * A payload from another node of type {@code typeName}: as {@code prototype}'s class, or (with no
   * prototype) {@link #wrap wrapped}; as {@link #coerce} would make it, without the {@link Any}.
   */
  @SuppressWarnings("unchecked")
  static <T extends Message> T read(String typeName, ByteString payload, T prototype) {
    return prototype == null ? (T) wrap(typeName, payload) : parse(typeName, payload, prototype);
  }

  private static <T extends Message> T unpack(Any any, T prototype) {
    String typeUrl = any.getTypeUrl();
    return parse(typeUrl.substring(typeUrl.lastIndexOf('/') + 1), any.getValue(), prototype);
  }

  private static <T extends Message> T parse(String actual, ByteString bytes, T prototype) {
    String expected = prototype.getDescriptorForType().getFullName();
    if (!expected.equals(actual)) {
      throw Status.INVALID_ARGUMENT
          .withDescription("expected a " + expected + " but got a " + actual)
          .asException();
    }
    return parse(bytes, prototype);
  }

  /**
   * Reads {@code bytes} as {@code prototype}'s type. Its bytes fields share {@code bytes}' array
   * rather than copy it (a ByteString is immutable, and a payload from the wire owns its frame's).
   */
  @SuppressWarnings("unchecked")
  static <T extends Message> T parse(ByteString bytes, T prototype) {
    try {
      CodedInputStream in = bytes.newCodedInput();
      in.enableAliasing(true);
      T message = (T) prototype.getParserForType().parseFrom(in);
      in.checkLastTagWas(0);
      return message;
    } catch (InvalidProtocolBufferException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "cannot read "
                  + prototype.getDescriptorForType().getFullName()
                  + ": "
                  + e.getMessage())
          .withCause(e)
          .asException();
    }
  }
}
