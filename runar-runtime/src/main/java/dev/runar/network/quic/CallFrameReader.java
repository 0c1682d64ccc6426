package dev.runar.network.quic;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.runar.wire.Frame;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a lane's frames: a call's {@code Frame{request}} or {@code Frame{response}} straight into
 * its {@link Request} or {@link Response}, any other frame as a {@link Frame}.
 *
 * <p>Protobuf would build the frame's envelope around the message (a builder, a field builder and
 * the frame itself) and decode the path and type name from UTF-8 into new strings for every call:
 * on 100-byte calls the two were a fifth of each event loop's time in Java. Here the frame is read
 * by hand, with a cursor of this reader's own (protobuf's input stream was the object the event
 * loops allocated most), and a string the lane has carried before (a path, a type name, an
 * encoding: few distinct values, repeated by every call) is recognized by its bytes and returns the
 * same {@code String}. A message with anything else (metadata, details, a field this class does not
 * know, a field of the wrong wire type, a varint or length protobuf would refuse) is parsed by
 * protobuf, so every message reads as protobuf reads it, malformed ones included (a test holds the
 * two to the same outcome on mutated frames).
 *
 * <p>Strings are remembered in a small table indexed by a hash of their bytes, in pairs of slots
 * (two strings whose hashes land on one pair are both kept), the newest winning: a peer sending
 * ever new paths costs what decoding them always cost, and the table never grows. Threading: one
 * lane's decoder, its event loop.
 */
final class CallFrameReader implements FrameCodec.Reader {
  /** A tag is its field number shifted past the three bits of its wire type. */
  private static final int TYPE_BITS = 3;

  private static final int DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;

  private static final int REQUEST_TAG = Frame.REQUEST_FIELD_NUMBER << TYPE_BITS | DELIMITED;
  private static final int RESPONSE_TAG = Frame.RESPONSE_FIELD_NUMBER << TYPE_BITS | DELIMITED;

  private static final int PATH = Request.PATH_FIELD_NUMBER << TYPE_BITS | DELIMITED;
  private static final int TIMEOUT = Request.TIMEOUT_MICROS_FIELD_NUMBER << TYPE_BITS | VARINT;
  private static final int TYPE_NAME = Request.TYPE_NAME_FIELD_NUMBER << TYPE_BITS | DELIMITED;
  private static final int PAYLOAD = Request.PAYLOAD_FIELD_NUMBER << TYPE_BITS | DELIMITED;
  private static final int TYPE = Request.TYPE_FIELD_NUMBER << TYPE_BITS | VARINT;
  private static final int CALL_ID = Request.CALL_ID_FIELD_NUMBER << TYPE_BITS | VARINT;
  private static final int ENCODING =
      Request.PAYLOAD_ENCODING_FIELD_NUMBER << TYPE_BITS | DELIMITED;
  private static final int RESPONSE_ENCODING =
      Request.RESPONSE_ENCODING_FIELD_NUMBER << TYPE_BITS | DELIMITED;

  private static final int STATUS_CODE = Response.STATUS_CODE_FIELD_NUMBER << TYPE_BITS | VARINT;
  private static final int STATUS_MESSAGE =
      Response.STATUS_MESSAGE_FIELD_NUMBER << TYPE_BITS | DELIMITED;
  private static final int REPLY_TYPE_NAME =
      Response.TYPE_NAME_FIELD_NUMBER << TYPE_BITS | DELIMITED;
  private static final int REPLY_PAYLOAD = Response.PAYLOAD_FIELD_NUMBER << TYPE_BITS | DELIMITED;
  private static final int NOT_STARTED = Response.NOT_STARTED_FIELD_NUMBER << TYPE_BITS | VARINT;
  private static final int REPLY_CALL_ID = Response.CALL_ID_FIELD_NUMBER << TYPE_BITS | VARINT;
  private static final int REPLY_ENCODING =
      Response.PAYLOAD_ENCODING_FIELD_NUMBER << TYPE_BITS | DELIMITED;

  /** Slots of the string table; a power of two. */
  private static final int SLOTS = 32;

  /** Longer strings are decoded each time, never kept. */
  private static final int MAX_KEPT = 128;

  private final byte[][] keys = new byte[SLOTS][];
  private final String[] strings = new String[SLOTS];

  // The frame being read and the position in it; set for the length of one read().
  private byte[] frame;
  private int pos;

  @Override
  public Object read(byte[] frame) throws IOException {
    // A call's frame is one field: its tag (one byte), length and message; an empty one is left
    // to protobuf.
    if (frame.length > 2 && (frame[0] == REQUEST_TAG || frame[0] == RESPONSE_TAG)) {
      this.frame = frame;
      this.pos = 1;
      try {
        int length = (int) varint(); // a length is 32 bits, as protobuf reads it
        int start = pos;
        if (length == frame.length - start) { // the call's message is all the frame holds
          return frame[0] == REQUEST_TAG ? request(start) : response(start);
        }
      } catch (Unusual e) {
        // a varint protobuf would refuse: left to it, below
      } finally {
        this.frame = null;
      }
    }
    return FrameCodec.frame(frame);
  }

  private Request request(int start) throws IOException {
    Request.Builder request = Request.newBuilder();
    try {
      while (pos < frame.length) {
        switch ((int) varint()) {
          case PATH -> request.setPath(string());
          case TIMEOUT -> request.setTimeoutMicros(varint());
          case TYPE_NAME -> request.setTypeName(string());
          case PAYLOAD -> request.setPayload(bytes());
          case TYPE -> request.setTypeValue((int) varint());
          case CALL_ID -> request.setCallId(varint());
          case ENCODING -> request.setPayloadEncoding(string());
          case RESPONSE_ENCODING -> request.setResponseEncoding(string());
          default -> throw Unusual.INSTANCE;
        }
      }
    } catch (Unusual e) {
      return Request.parseFrom(FrameCodec.aliasing(frame, start));
    }
    return request.build();
  }

  private Response response(int start) throws IOException {
    Response.Builder response = Response.newBuilder();
    try {
      while (pos < frame.length) {
        switch ((int) varint()) {
          case STATUS_CODE -> response.setStatusCode((int) varint());
          case STATUS_MESSAGE -> response.setStatusMessage(decoded());
          case REPLY_TYPE_NAME -> response.setTypeName(string());
          case REPLY_PAYLOAD -> response.setPayload(bytes());
          case NOT_STARTED -> response.setNotStarted(varint() != 0);
          case REPLY_CALL_ID -> response.setCallId(varint());
          case REPLY_ENCODING -> response.setPayloadEncoding(string());
          default -> throw Unusual.INSTANCE;
        }
      }
    } catch (Unusual e) {
      return Response.parseFrom(FrameCodec.aliasing(frame, start));
    }
    return response.build();
  }

  /**
   * A varint, as protobuf reads one: up to ten bytes, bits past 64 dropped; {@link Unusual} past
   * the frame's end or ten bytes.
   */
  private long varint() throws Unusual {
    long value = 0;
    for (int shift = 0; shift < Long.SIZE; shift += 7) {
      if (pos == frame.length) {
        throw Unusual.INSTANCE;
      }
      byte b = frame[pos++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw Unusual.INSTANCE;
  }

  /** A length prefix (32 bits, as protobuf reads it) that the rest of the frame holds. */
  private int length() throws Unusual {
    int length = (int) varint();
    if (length < 0 || length > frame.length - pos) {
      throw Unusual.INSTANCE;
    }
    return length;
  }

  /** The bytes field at the position, aliasing the frame (as protobuf's parse does). */
  private ByteString bytes() throws Unusual {
    int length = length();
    ByteString bytes = UnsafeByteOperations.unsafeWrap(frame, pos, length);
    pos += length;
    return bytes;
  }

  /** The string field at the position, decoded. */
  private String decoded() throws IOException, Unusual {
    int length = length();
    pos += length;
    return decode(frame, pos - length, length);
  }

  /** The string field at the position: the one already known for its bytes, if any. */
  private String string() throws IOException, Unusual {
    int length = length();
    int offset = pos;
    pos += length;
    if (length > MAX_KEPT) {
      return decode(frame, offset, length);
    }
    int hash = 1;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + frame[i];
    }
    int first = (hash ^ (hash >>> 16)) & (SLOTS - 2); // a pair of slots: first, first + 1
    int second = first + 1;
    if (holds(first, offset, length)) {
      return strings[first];
    }
    if (holds(second, offset, length)) {
      return strings[second];
    }
    String string = decode(frame, offset, length);
    // Newest first, the one it displaces kept beside it: two strings whose slots collide (a
    // path and a type name read by every call) are both kept rather than evicting each other.
    keys[second] = keys[first];
    strings[second] = strings[first];
    keys[first] = Arrays.copyOfRange(frame, offset, offset + length);
    strings[first] = string;
    return string;
  }

  private boolean holds(int slot, int offset, int length) {
    byte[] key = keys[slot];
    return key != null && Arrays.equals(key, 0, key.length, frame, offset, offset + length);
  }

  /** UTF-8 to a string, refusing malformed UTF-8 as protobuf does for a proto3 string. */
  private static String decode(byte[] frame, int offset, int length)
      throws InvalidProtocolBufferException {
    if (!UnsafeByteOperations.unsafeWrap(frame, offset, length).isValidUtf8()) {
      throw new InvalidProtocolBufferException("a string is not valid UTF-8");
    }
    return new String(frame, offset, length, StandardCharsets.UTF_8);
  }

  /**
   * A frame this class leaves to protobuf, which then reads it (or refuses it) as it would have
   * anyway. One instance, without a stack trace: control flow within this class.
   */
  private static final class Unusual extends Exception {
    private static final long serialVersionUID = 1L;
    static final Unusual INSTANCE = new Unusual();

    private Unusual() {
      super(null, null, false, false);
    }
  }
}
