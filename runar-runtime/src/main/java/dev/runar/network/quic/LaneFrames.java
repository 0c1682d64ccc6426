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
 * Encodes the frames of lanes: a {@code Request} or {@code Response} tagged with its call id, with
 * the frame's length prefix, as a heap array (lanes copy their frames into one buffer per
 * event-loop turn, {@link WriteQueue}).
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
  static byte[] request(Request request, long callId) {
    if (request.getMetadataCount() > 0
        || request.getBinaryMetadataCount() > 0
        || request.getCallId() != 0
        || request.getUnknownFields().getSerializedSize() > 0) {
      return byProtobuf(Frame.REQUEST_FIELD_NUMBER, request, Request.CALL_ID_FIELD_NUMBER, callId);
    }
    ByteString path = request.getPathBytes();
    ByteString typeName = request.getTypeNameBytes();
    ByteString payloadEncoding = request.getPayloadEncodingBytes();
    ByteString responseEncoding = request.getResponseEncodingBytes();
    int body =
        bytesSize(Request.PATH_FIELD_NUMBER, path)
            + uint64Size(Request.TIMEOUT_MICROS_FIELD_NUMBER, request.getTimeoutMicros())
            + bytesSize(Request.TYPE_NAME_FIELD_NUMBER, typeName)
            + bytesSize(Request.PAYLOAD_FIELD_NUMBER, request.getPayload())
            + enumSize(Request.TYPE_FIELD_NUMBER, request.getTypeValue())
            + bytesSize(Request.PAYLOAD_ENCODING_FIELD_NUMBER, payloadEncoding)
            + bytesSize(Request.RESPONSE_ENCODING_FIELD_NUMBER, responseEncoding)
            + CodedOutputStream.computeUInt64Size(Request.CALL_ID_FIELD_NUMBER, callId);
    Writer out = new Writer(Frame.REQUEST_FIELD_NUMBER, body);
    try {
      out.bytes(Request.PATH_FIELD_NUMBER, path);
      out.uint64(Request.TIMEOUT_MICROS_FIELD_NUMBER, request.getTimeoutMicros());
      out.bytes(Request.TYPE_NAME_FIELD_NUMBER, typeName);
      out.bytes(Request.PAYLOAD_FIELD_NUMBER, request.getPayload());
      out.enumValue(Request.TYPE_FIELD_NUMBER, request.getTypeValue());
      out.coded.writeUInt64(Request.CALL_ID_FIELD_NUMBER, callId);
      out.bytes(Request.PAYLOAD_ENCODING_FIELD_NUMBER, payloadEncoding);
      out.bytes(Request.RESPONSE_ENCODING_FIELD_NUMBER, responseEncoding);
    } catch (IOException e) {
      throw new IllegalStateException("a frame did not fit its own size", e);
    }
    return out.done();
  }

  /** {@code Frame{response}} tagged with {@code callId}. */
  static byte[] response(Response response, long callId) {
    if (response.getDetailsCount() > 0
        || response.getHeadersCount() > 0
        || response.getBinaryHeadersCount() > 0
        || response.getTrailersCount() > 0
        || response.getBinaryTrailersCount() > 0
        || response.getCallId() != 0
        || response.getUnknownFields().getSerializedSize() > 0) {
      return byProtobuf(
          Frame.RESPONSE_FIELD_NUMBER, response, Response.CALL_ID_FIELD_NUMBER, callId);
    }
    ByteString statusMessage = response.getStatusMessageBytes();
    ByteString typeName = response.getTypeNameBytes();
    ByteString payloadEncoding = response.getPayloadEncodingBytes();
    int body =
        (response.getStatusCode() != 0
                ? CodedOutputStream.computeUInt32Size(
                    Response.STATUS_CODE_FIELD_NUMBER, response.getStatusCode())
                : 0)
            + bytesSize(Response.STATUS_MESSAGE_FIELD_NUMBER, statusMessage)
            + bytesSize(Response.TYPE_NAME_FIELD_NUMBER, typeName)
            + bytesSize(Response.PAYLOAD_FIELD_NUMBER, response.getPayload())
            + (response.getNotStarted()
                ? CodedOutputStream.computeBoolSize(Response.NOT_STARTED_FIELD_NUMBER, true)
                : 0)
            + bytesSize(Response.PAYLOAD_ENCODING_FIELD_NUMBER, payloadEncoding)
            + CodedOutputStream.computeUInt64Size(Response.CALL_ID_FIELD_NUMBER, callId);
    Writer out = new Writer(Frame.RESPONSE_FIELD_NUMBER, body);
    try {
      if (response.getStatusCode() != 0) {
        out.coded.writeUInt32(Response.STATUS_CODE_FIELD_NUMBER, response.getStatusCode());
      }
      out.bytes(Response.STATUS_MESSAGE_FIELD_NUMBER, statusMessage);
      out.bytes(Response.TYPE_NAME_FIELD_NUMBER, typeName);
      out.bytes(Response.PAYLOAD_FIELD_NUMBER, response.getPayload());
      if (response.getNotStarted()) {
        out.coded.writeBool(Response.NOT_STARTED_FIELD_NUMBER, true);
      }
      out.coded.writeUInt64(Response.CALL_ID_FIELD_NUMBER, callId);
      out.bytes(Response.PAYLOAD_ENCODING_FIELD_NUMBER, payloadEncoding);
    } catch (IOException e) {
      throw new IllegalStateException("a frame did not fit its own size", e);
    }
    return out.done();
  }

  /** A frame holding {@code message}, encoded by protobuf, with its call id field after it. */
  private static byte[] byProtobuf(int kind, MessageLite message, int idField, long callId) {
    int body = message.getSerializedSize() + CodedOutputStream.computeUInt64Size(idField, callId);
    Writer out = new Writer(kind, body);
    try {
      message.writeTo(out.coded);
      out.coded.writeUInt64(idField, callId);
    } catch (IOException e) {
      throw new IllegalStateException("a frame did not fit its own size", e);
    }
    return out.done();
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

  /** A length-prefixed frame with one length-delimited field ({@code kind}) of {@code body}. */
  private static final class Writer {
    final byte[] out;
    final CodedOutputStream coded;

    Writer(int kind, int body) {
      int size =
          CodedOutputStream.computeTagSize(kind)
              + CodedOutputStream.computeUInt32SizeNoTag(body)
              + body;
      out = new byte[FrameCodec.LENGTH_BYTES + size];
      coded = FrameCodec.lengthPrefixed(out, size);
      try {
        coded.writeTag(kind, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        coded.writeUInt32NoTag(body);
      } catch (IOException e) {
        throw new IllegalStateException("a frame did not fit its own size", e);
      }
    }

    void bytes(int field, ByteString value) throws IOException {
      if (!value.isEmpty()) {
        coded.writeBytes(field, value);
      }
    }

    void uint64(int field, long value) throws IOException {
      if (value != 0) {
        coded.writeUInt64(field, value);
      }
    }

    void enumValue(int field, int value) throws IOException {
      if (value != 0) {
        coded.writeEnum(field, value);
      }
    }

    byte[] done() {
      coded.checkNoSpaceLeft();
      return out;
    }
  }
}
