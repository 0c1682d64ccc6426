package dev.runar.network.quic;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.WireFormat;
import dev.runar.wire.Frame;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import java.io.IOException;

/**
 * The frames of lanes: a {@code Request} or {@code Response} tagged with its call id, as {@link
 * OutboundFrame}s, sized on the caller's thread and encoded into the lane's outgoing buffer.
 *
 * <p>The call id is appended, not set: protobuf's encoding of a message followed by one more field
 * is that message with the field set (the last value of a field wins), so the id costs a varint
 * instead of a copy of the message.
 *
 * <p>A message without metadata, details or unknown fields, which is most calls, is written field
 * by field here, in protobuf's own order and encoding (a test holds the two byte for byte, and
 * fails when {@code wire.proto} gains a field this class does not know). Protobuf's generated
 * {@code writeTo} walks each of the message's {@code map} fields even when it is empty, which cost
 * more than all the rest of the encoding in the profile of 100-byte calls. Any other message is
 * written by protobuf. Stateless; any thread.
 */
final class LaneFrames {
  private LaneFrames() {}

  /** {@code Frame{request}} tagged with {@code callId}. */
  static OutboundFrame request(Request request, long callId) {
    if (request.getMetadataCount() > 0
        || request.getBinaryMetadataCount() > 0
        || request.getCallId() != 0
        || request.getUnknownFields().getSerializedSize() > 0) {
      return new ByProtobuf(
          Frame.REQUEST_FIELD_NUMBER, request, Request.CALL_ID_FIELD_NUMBER, callId);
    }
    return new RequestFrame(request, callId);
  }

  /** {@code Frame{response}} tagged with {@code callId}. */
  static OutboundFrame response(Response response, long callId) {
    if (response.getDetailsCount() > 0
        || response.getHeadersCount() > 0
        || response.getBinaryHeadersCount() > 0
        || response.getTrailersCount() > 0
        || response.getBinaryTrailersCount() > 0
        || response.getCallId() != 0
        || response.getUnknownFields().getSerializedSize() > 0) {
      return new ByProtobuf(
          Frame.RESPONSE_FIELD_NUMBER, response, Response.CALL_ID_FIELD_NUMBER, callId);
    }
    return new ResponseFrame(response, callId);
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

  /** A message encoded by protobuf, with its call id field after it. */
  private static final class ByProtobuf extends Tagged {
    private final MessageLite message;
    private final int idField;
    private final long callId;

    ByProtobuf(int kind, MessageLite message, int idField, long callId) {
      super(
          kind, message.getSerializedSize() + CodedOutputStream.computeUInt64Size(idField, callId));
      this.message = message;
      this.idField = idField;
      this.callId = callId;
    }

    @Override
    void writeBody(CodedOutputStream out) throws IOException {
      message.writeTo(out);
      out.writeUInt64(idField, callId);
    }
  }

  private static final class RequestFrame extends Tagged {
    private final Request request;
    private final long callId;

    RequestFrame(Request request, long callId) {
      super(
          Frame.REQUEST_FIELD_NUMBER,
          bytesSize(Request.PATH_FIELD_NUMBER, request.getPathBytes())
              + uint64Size(Request.TIMEOUT_MICROS_FIELD_NUMBER, request.getTimeoutMicros())
              + bytesSize(Request.TYPE_NAME_FIELD_NUMBER, request.getTypeNameBytes())
              + bytesSize(Request.PAYLOAD_FIELD_NUMBER, request.getPayload())
              + enumSize(Request.TYPE_FIELD_NUMBER, request.getTypeValue())
              + bytesSize(Request.PAYLOAD_ENCODING_FIELD_NUMBER, request.getPayloadEncodingBytes())
              + bytesSize(
                  Request.RESPONSE_ENCODING_FIELD_NUMBER, request.getResponseEncodingBytes())
              + CodedOutputStream.computeUInt64Size(Request.CALL_ID_FIELD_NUMBER, callId));
      this.request = request;
      this.callId = callId;
    }

    @Override
    void writeBody(CodedOutputStream out) throws IOException {
      bytes(out, Request.PATH_FIELD_NUMBER, request.getPathBytes());
      uint64(out, Request.TIMEOUT_MICROS_FIELD_NUMBER, request.getTimeoutMicros());
      bytes(out, Request.TYPE_NAME_FIELD_NUMBER, request.getTypeNameBytes());
      bytes(out, Request.PAYLOAD_FIELD_NUMBER, request.getPayload());
      if (request.getTypeValue() != 0) {
        out.writeEnum(Request.TYPE_FIELD_NUMBER, request.getTypeValue());
      }
      out.writeUInt64(Request.CALL_ID_FIELD_NUMBER, callId);
      bytes(out, Request.PAYLOAD_ENCODING_FIELD_NUMBER, request.getPayloadEncodingBytes());
      bytes(out, Request.RESPONSE_ENCODING_FIELD_NUMBER, request.getResponseEncodingBytes());
    }
  }

  private static final class ResponseFrame extends Tagged {
    private final Response response;
    private final long callId;

    ResponseFrame(Response response, long callId) {
      super(
          Frame.RESPONSE_FIELD_NUMBER,
          (response.getStatusCode() != 0
                  ? CodedOutputStream.computeUInt32Size(
                      Response.STATUS_CODE_FIELD_NUMBER, response.getStatusCode())
                  : 0)
              + bytesSize(Response.STATUS_MESSAGE_FIELD_NUMBER, response.getStatusMessageBytes())
              + bytesSize(Response.TYPE_NAME_FIELD_NUMBER, response.getTypeNameBytes())
              + bytesSize(Response.PAYLOAD_FIELD_NUMBER, response.getPayload())
              + (response.getNotStarted()
                  ? CodedOutputStream.computeBoolSize(Response.NOT_STARTED_FIELD_NUMBER, true)
                  : 0)
              + bytesSize(
                  Response.PAYLOAD_ENCODING_FIELD_NUMBER, response.getPayloadEncodingBytes())
              + CodedOutputStream.computeUInt64Size(Response.CALL_ID_FIELD_NUMBER, callId));
      this.response = response;
      this.callId = callId;
    }

    @Override
    void writeBody(CodedOutputStream out) throws IOException {
      if (response.getStatusCode() != 0) {
        out.writeUInt32(Response.STATUS_CODE_FIELD_NUMBER, response.getStatusCode());
      }
      bytes(out, Response.STATUS_MESSAGE_FIELD_NUMBER, response.getStatusMessageBytes());
      bytes(out, Response.TYPE_NAME_FIELD_NUMBER, response.getTypeNameBytes());
      bytes(out, Response.PAYLOAD_FIELD_NUMBER, response.getPayload());
      if (response.getNotStarted()) {
        out.writeBool(Response.NOT_STARTED_FIELD_NUMBER, true);
      }
      out.writeUInt64(Response.CALL_ID_FIELD_NUMBER, callId);
      bytes(out, Response.PAYLOAD_ENCODING_FIELD_NUMBER, response.getPayloadEncodingBytes());
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
