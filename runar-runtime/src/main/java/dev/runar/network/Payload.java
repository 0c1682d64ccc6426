package dev.runar.network;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;

/**
 * A unary call's payload on its way to a peer: bytes already serialized (compressed ones, say), or
 * a message that the transport serializes once, when and where it chooses: a large message straight
 * into its outgoing buffer, never first into an array of its own.
 *
 * <p>Immutable (a message payload relies on protobuf messages being immutable); any thread. Not for
 * extension: its two kinds are made by {@link #of(ByteString)} and {@link #of(MessageLite)}.
 */
public abstract class Payload {
  /** No payload. */
  public static final Payload EMPTY = new Bytes(ByteString.EMPTY);

  private Payload() {}

  /** A payload of {@code bytes}, sent as they are. */
  public static Payload of(ByteString bytes) {
    return bytes.isEmpty() ? EMPTY : new Bytes(bytes);
  }

  /** A payload of {@code message}'s serialization, written when the transport sends it. */
  public static Payload of(MessageLite message) {
    return new Serialized(message);
  }

  /** The payload's size in bytes. */
  public abstract int size();

  /** Writes exactly {@link #size} bytes, the payload itself (no tag, no length). */
  public abstract void writeTo(CodedOutputStream out) throws IOException;

  /** The payload's bytes (a message's serialized into a new array). */
  public abstract ByteString toByteString();

  @Override
  public String toString() {
    return "Payload(" + size() + " bytes)";
  }

  private static final class Bytes extends Payload {
    private final ByteString bytes;

    Bytes(ByteString bytes) {
      this.bytes = bytes;
    }

    @Override
    public int size() {
      return bytes.size();
    }

    @Override
    public void writeTo(CodedOutputStream out) throws IOException {
      out.writeRawBytes(bytes);
    }

    @Override
    public ByteString toByteString() {
      return bytes;
    }
  }

  private static final class Serialized extends Payload {
    private final MessageLite message;

    Serialized(MessageLite message) {
      this.message = message;
    }

    @Override
    public int size() {
      return message.getSerializedSize(); // memoized by generated messages
    }

    @Override
    public void writeTo(CodedOutputStream out) throws IOException {
      message.writeTo(out);
    }

    @Override
    public ByteString toByteString() {
      return message.toByteString();
    }
  }
}
