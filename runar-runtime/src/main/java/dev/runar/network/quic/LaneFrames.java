package dev.runar.network.quic;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.WireFormat;
import dev.runar.network.Payload;
import dev.runar.network.Reply;
import dev.runar.wire.Frame;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import java.io.IOException;
import java.util.List;

/**
 * The frames of unary calls: a {@code Request} or {@code Response} with its payload, tagged with
 * its call id on a lane (untagged, id 0, on a stream of its own), as {@link OutboundFrame}s, sized
 * on the caller's thread.
 *
 * <p>The payload and the call id are appended, not set: protobuf's encoding of a message followed
 * by one more field is that message with the field set (the last value of a field wins), so the id
 * costs a varint instead of a copy of the message, and a message payload ({@link Payload}) is
 * serialized straight into the buffer.
 *
 * <p>A message without details or unknown fields, which is every call's but a failure's with rich
 * details, is written field by field here, its metadata, headers and trailers (repeated entries)
 * included, in protobuf's own order and encoding (a test holds the two byte for byte, and fails
 * when {@code wire.proto} gains a field this class does not know). Protobuf's generated {@code
 * writeTo} computed sizes and walked fields that are empty on almost every call, which cost more
 * than all the rest of the encoding in the profile of 100-byte calls. Any other message is written
 * by protobuf. Stateless; any thread.
 */
final class LaneFrames {
  private LaneFrames() {}

  /**
   * {@code Frame{request}}, {@code header} with {@code timeoutMicros} as its time left and {@code
   * payload}, tagged with {@code callId} unless it is 0.
   */
  static OutboundFrame request(Request header, long timeoutMicros, Payload payload, long callId) {
    if (header.getCallId() != 0 || header.getUnknownFields().getSerializedSize() > 0) {
      return new ByProtobuf(
          Frame.REQUEST_FIELD_NUMBER,
          header.toBuilder().setTimeoutMicros(timeoutMicros).build(),
          Request.PAYLOAD_FIELD_NUMBER,
          payload,
          Request.CALL_ID_FIELD_NUMBER,
          callId);
    }
    return new RequestFrame(header, timeoutMicros, payload, callId);
  }

  /** {@code Frame{response}}, {@code reply}, tagged with {@code callId} unless it is 0. */
  static OutboundFrame response(Reply reply, long callId) {
    Response header = reply.header();
    if (header.getDetailsCount() > 0
        || header.getCallId() != 0
        || header.getUnknownFields().getSerializedSize() > 0) {
      return new ByProtobuf(
          Frame.RESPONSE_FIELD_NUMBER,
          header,
          Response.PAYLOAD_FIELD_NUMBER,
          reply.payload(),
          Response.CALL_ID_FIELD_NUMBER,
          callId);
    }
    return new ResponseFrame(header, reply.payload(), callId);
  }

  /**
   * A frame holding one length-delimited field, {@code kind} (the {@code Frame}'s request or
   * response), whose body of {@code body} bytes its subclass writes.
   */
  private abstract static class Tagged implements OutboundFrame {
    private final int kind;
    private final int body;

    Tagged(int kind, int body) {
      this.kind = kind;
      this.body = body;
    }

    @Override
    public final int size() {
      return FrameCodec.LENGTH_BYTES
          + CodedOutputStream.computeTagSize(kind)
          + CodedOutputStream.computeUInt32SizeNoTag(body)
          + body;
    }

    @Override
    public final void writeTo(CodedOutputStream out) throws IOException {
      OutboundFrame.writeLength(out, size() - FrameCodec.LENGTH_BYTES);
      out.writeTag(kind, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(body);
      writeBody(out);
    }

    abstract void writeBody(CodedOutputStream out) throws IOException;
  }

  /** A header encoded by protobuf, with its payload and call id fields after it. */
  private static final class ByProtobuf extends Tagged {
    private final MessageLite header;
    private final int payloadField;
    private final Payload payload;
    private final int idField;
    private final long callId;

    ByProtobuf(
        int kind, MessageLite header, int payloadField, Payload payload, int idField, long callId) {
      super(
          kind,
          header.getSerializedSize()
              + payloadSize(payloadField, payload)
              + uint64Size(idField, callId));
      this.header = header;
      this.payloadField = payloadField;
      this.payload = payload;
      this.idField = idField;
      this.callId = callId;
    }

    @Override
    void writeBody(CodedOutputStream out) throws IOException {
      header.writeTo(out);
      payload(out, payloadField, payload);
      uint64(out, idField, callId);
    }
  }

  /**
   * A request written field by field, its time left given apart from its header (which callers
   * reuse).
   */
  private static final class RequestFrame extends Tagged {
    private final Request header;
    private final long timeoutMicros;
    private final Payload payload;
    private final long callId;

    RequestFrame(Request header, long timeoutMicros, Payload payload, long callId) {
      super(
          Frame.REQUEST_FIELD_NUMBER,
          bytesSize(Request.PATH_FIELD_NUMBER, header.getPathBytes())
              + uint64Size(Request.TIMEOUT_MICROS_FIELD_NUMBER, timeoutMicros)
              + messagesSize(Request.METADATA_FIELD_NUMBER, header.getMetadataList())
              + bytesSize(Request.TYPE_NAME_FIELD_NUMBER, header.getTypeNameBytes())
              + payloadSize(Request.PAYLOAD_FIELD_NUMBER, payload)
              + enumSize(Request.TYPE_FIELD_NUMBER, header.getTypeValue())
              + uint64Size(Request.CALL_ID_FIELD_NUMBER, callId)
              + messagesSize(Request.BINARY_METADATA_FIELD_NUMBER, header.getBinaryMetadataList())
              + bytesSize(Request.PAYLOAD_ENCODING_FIELD_NUMBER, header.getPayloadEncodingBytes())
              + bytesSize(
                  Request.RESPONSE_ENCODING_FIELD_NUMBER, header.getResponseEncodingBytes()));
      this.header = header;
      this.timeoutMicros = timeoutMicros;
      this.payload = payload;
      this.callId = callId;
    }

    @Override
    void writeBody(CodedOutputStream out) throws IOException {
      bytes(out, Request.PATH_FIELD_NUMBER, header.getPathBytes());
      uint64(out, Request.TIMEOUT_MICROS_FIELD_NUMBER, timeoutMicros);
      messages(out, Request.METADATA_FIELD_NUMBER, header.getMetadataList());
      bytes(out, Request.TYPE_NAME_FIELD_NUMBER, header.getTypeNameBytes());
      payload(out, Request.PAYLOAD_FIELD_NUMBER, payload);
      if (header.getTypeValue() != 0) {
        out.writeEnum(Request.TYPE_FIELD_NUMBER, header.getTypeValue());
      }
      uint64(out, Request.CALL_ID_FIELD_NUMBER, callId);
      messages(out, Request.BINARY_METADATA_FIELD_NUMBER, header.getBinaryMetadataList());
      bytes(out, Request.PAYLOAD_ENCODING_FIELD_NUMBER, header.getPayloadEncodingBytes());
      bytes(out, Request.RESPONSE_ENCODING_FIELD_NUMBER, header.getResponseEncodingBytes());
    }
  }

  /** A response written field by field. */
  private static final class ResponseFrame extends Tagged {
    private final Response header;
    private final Payload payload;
    private final long callId;

    ResponseFrame(Response header, Payload payload, long callId) {
      super(
          Frame.RESPONSE_FIELD_NUMBER,
          (header.getStatusCode() != 0
                  ? CodedOutputStream.computeUInt32Size(
                      Response.STATUS_CODE_FIELD_NUMBER, header.getStatusCode())
                  : 0)
              + bytesSize(Response.STATUS_MESSAGE_FIELD_NUMBER, header.getStatusMessageBytes())
              + bytesSize(Response.TYPE_NAME_FIELD_NUMBER, header.getTypeNameBytes())
              + payloadSize(Response.PAYLOAD_FIELD_NUMBER, payload)
              + (header.getNotStarted()
                  ? CodedOutputStream.computeBoolSize(Response.NOT_STARTED_FIELD_NUMBER, true)
                  : 0)
              + uint64Size(Response.CALL_ID_FIELD_NUMBER, callId)
              + messagesSize(Response.HEADERS_FIELD_NUMBER, header.getHeadersList())
              + messagesSize(Response.BINARY_HEADERS_FIELD_NUMBER, header.getBinaryHeadersList())
              + messagesSize(Response.TRAILERS_FIELD_NUMBER, header.getTrailersList())
              + messagesSize(Response.BINARY_TRAILERS_FIELD_NUMBER, header.getBinaryTrailersList())
              + bytesSize(
                  Response.PAYLOAD_ENCODING_FIELD_NUMBER, header.getPayloadEncodingBytes()));
      this.header = header;
      this.payload = payload;
      this.callId = callId;
    }

    @Override
    void writeBody(CodedOutputStream out) throws IOException {
      if (header.getStatusCode() != 0) {
        out.writeUInt32(Response.STATUS_CODE_FIELD_NUMBER, header.getStatusCode());
      }
      bytes(out, Response.STATUS_MESSAGE_FIELD_NUMBER, header.getStatusMessageBytes());
      bytes(out, Response.TYPE_NAME_FIELD_NUMBER, header.getTypeNameBytes());
      payload(out, Response.PAYLOAD_FIELD_NUMBER, payload);
      if (header.getNotStarted()) {
        out.writeBool(Response.NOT_STARTED_FIELD_NUMBER, true);
      }
      uint64(out, Response.CALL_ID_FIELD_NUMBER, callId);
      messages(out, Response.HEADERS_FIELD_NUMBER, header.getHeadersList());
      messages(out, Response.BINARY_HEADERS_FIELD_NUMBER, header.getBinaryHeadersList());
      messages(out, Response.TRAILERS_FIELD_NUMBER, header.getTrailersList());
      messages(out, Response.BINARY_TRAILERS_FIELD_NUMBER, header.getBinaryTrailersList());
      bytes(out, Response.PAYLOAD_ENCODING_FIELD_NUMBER, header.getPayloadEncodingBytes());
    }
  }

  private static int payloadSize(int field, Payload payload) {
    int size = payload.size();
    return size == 0
        ? 0
        : CodedOutputStream.computeTagSize(field)
            + CodedOutputStream.computeUInt32SizeNoTag(size)
            + size;
  }

  private static void payload(CodedOutputStream out, int field, Payload payload)
      throws IOException {
    int size = payload.size();
    if (size > 0) {
      out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(size);
      payload.writeTo(out);
    }
  }

  /** A repeated message field. */
  private static int messagesSize(int field, List<? extends MessageLite> messages) {
    int size = 0;
    for (int i = 0; i < messages.size(); i++) { // most calls carry none: no iterator
      size += CodedOutputStream.computeMessageSize(field, messages.get(i));
    }
    return size;
  }

  private static void messages(
      CodedOutputStream out, int field, List<? extends MessageLite> messages) throws IOException {
    for (int i = 0; i < messages.size(); i++) {
      out.writeMessage(field, messages.get(i));
    }
  }

  private static int bytesSize(int field, ByteString value) {
    return value.isEmpty() ? 0 : CodedOutputStream.computeBytesSize(field, value);
  }

  private static int uint64Size(int field, long value) {
    return value == 0 ? 0 : CodedOutputStream.computeUInt64Size(field, value);
  }

  private static int enumSize(int field, int value) {
    return value == 0 ? 0 : CodedOutputStream.computeEnumSize(field, value);
  }

  private static void bytes(CodedOutputStream out, int field, ByteString value) throws IOException {
    if (!value.isEmpty()) {
      out.writeBytes(field, value);
    }
  }

  private static void uint64(CodedOutputStream out, int field, long value) throws IOException {
    if (value != 0) {
      out.writeUInt64(field, value);
    }
  }
}
