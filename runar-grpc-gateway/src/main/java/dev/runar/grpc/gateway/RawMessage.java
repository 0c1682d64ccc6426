package dev.runar.grpc.gateway;

import com.google.protobuf.AbstractMessage;
import com.google.protobuf.AbstractParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * A protobuf message of a known type held as its encoded bytes: how requests and replies pass
 * through the gateway without being parsed and serialized again. It reports its type's descriptor
 * (so the node sends the right type name to a peer, and a local handler's type check passes),
 * serializes to exactly its bytes, and its parser wraps bytes without reading them. Only reflective
 * accessors ({@link #getField} and the like) parse, once, into a {@link DynamicMessage}.
 *
 * <p>Immutable and thread-safe.
 */
final class RawMessage extends AbstractMessage {
  private final Descriptor type;
  private final ByteString bytes;
  private volatile DynamicMessage parsed;

  private RawMessage(Descriptor type, ByteString bytes) {
    this.type = type;
    this.bytes = bytes;
  }

  /** The empty message of {@code type}: a prototype whose parser reads raw messages of it. */
  static RawMessage prototype(Descriptor type) {
    return new RawMessage(Objects.requireNonNull(type, "type"), ByteString.EMPTY);
  }

  /** A message of {@code type} encoded as {@code bytes} (not checked). */
  static RawMessage of(Descriptor type, ByteString bytes) {
    return new RawMessage(
        Objects.requireNonNull(type, "type"), Objects.requireNonNull(bytes, "bytes"));
  }

  /** The encoded message. */
  ByteString bytes() {
    return bytes;
  }

  private DynamicMessage parsed() {
    DynamicMessage p = parsed;
    if (p == null) {
      try {
        p = DynamicMessage.parseFrom(type, bytes);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("not a valid " + type.getFullName(), e);
      }
      parsed = p;
    }
    return p;
  }

  @Override
  public Descriptor getDescriptorForType() {
    return type;
  }

  @Override
  public RawMessage getDefaultInstanceForType() {
    return prototype(type);
  }

  @Override
  public Map<FieldDescriptor, Object> getAllFields() {
    return parsed().getAllFields();
  }

  @Override
  public boolean hasField(FieldDescriptor field) {
    return parsed().hasField(field);
  }

  @Override
  public Object getField(FieldDescriptor field) {
    return parsed().getField(field);
  }

  @Override
  public int getRepeatedFieldCount(FieldDescriptor field) {
    return parsed().getRepeatedFieldCount(field);
  }

  @Override
  public Object getRepeatedField(FieldDescriptor field, int index) {
    return parsed().getRepeatedField(field, index);
  }

  @Override
  public UnknownFieldSet getUnknownFields() {
    return parsed().getUnknownFields();
  }

  /** The bytes came from a peer or a gRPC client, which vouch for them; checking means parsing. */
  @Override
  public boolean isInitialized() {
    return true;
  }

  @Override
  public void writeTo(CodedOutputStream output) throws IOException {
    output.writeRawBytes(bytes);
  }

  @Override
  public int getSerializedSize() {
    return bytes.size();
  }

  @Override
  public ByteString toByteString() {
    return bytes;
  }

  @Override
  public byte[] toByteArray() {
    return bytes.toByteArray();
  }

  @Override
  public Parser<RawMessage> getParserForType() {
    return new RawParser(type);
  }

  @Override
  public Message.Builder newBuilderForType() {
    return DynamicMessage.newBuilder(type);
  }

  @Override
  public Message.Builder toBuilder() {
    return parsed().toBuilder();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RawMessage r
        && r.type.getFullName().equals(type.getFullName())
        && r.bytes.equals(bytes);
  }

  @Override
  public int hashCode() {
    return type.getFullName().hashCode() * 31 + bytes.hashCode();
  }

  /** Wraps bytes without reading them; reads a stream's remaining bytes otherwise. */
  private static final class RawParser extends AbstractParser<RawMessage> {
    private final Descriptor type;

    RawParser(Descriptor type) {
      this.type = type;
    }

    @Override
    public RawMessage parseFrom(ByteString data) {
      return of(type, data);
    }

    @Override
    public RawMessage parseFrom(ByteString data, ExtensionRegistryLite extensions) {
      return of(type, data);
    }

    @Override
    public RawMessage parsePartialFrom(ByteString data, ExtensionRegistryLite extensions) {
      return of(type, data);
    }

    @Override
    public RawMessage parsePartialFrom(CodedInputStream input, ExtensionRegistryLite extensions)
        throws InvalidProtocolBufferException {
      try {
        return of(type, UnknownFieldSet.newBuilder().mergeFrom(input).build().toByteString());
      } catch (InvalidProtocolBufferException e) {
        throw e;
      } catch (IOException e) {
        throw new InvalidProtocolBufferException(e);
      }
    }
  }
}
