package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.StringValue;
import com.google.protobuf.UnknownFieldSet;
import dev.runar.network.Payload;
import dev.runar.network.Reply;
import dev.runar.wire.Frame;
import dev.runar.wire.MethodType;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LaneFramesTest {
  private static final long SEED = 0x5eed_1a9eL;

  /**
   * The fields {@link LaneFrames} writes by hand, or sends to protobuf when set (a response's
   * details). A field added to wire.proto fails this test until LaneFrames handles it too.
   */
  @Test
  void knowsEveryFieldOfRequestAndResponse() {
    assertEquals(
        Set.of(1, 2, 3, 4, 5, 6, 10, 20, 30, 31), numbers(Request.getDescriptor().getFields()));
    assertEquals(
        Set.of(1, 2, 3, 4, 5, 6, 10, 20, 21, 22, 23, 30),
        numbers(Response.getDescriptor().getFields()));
  }

  @Test
  void writesRequestsByteForByteAsProtobufDoes() {
    Random random = new Random(SEED);
    for (int i = 0; i < 2_000; i++) {
      Request header =
          Request.newBuilder()
              .setPath(text(random))
              .setTimeoutMicros(random.nextBoolean() ? 0 : random.nextLong())
              .putAllMetadata(strings(random))
              .setTypeName(text(random))
              .setTypeValue(random.nextInt(MethodType.values().length - 1))
              .putAllBinaryMetadata(binaries(random))
              .setPayloadEncoding(text(random))
              .setResponseEncoding(text(random))
              .build();
      Payload payload = payload(random);
      long id = id(random);
      Request whole = header.toBuilder().setPayload(payload.toByteString()).setCallId(id).build();
      assertArrayEquals(
          framed(Frame.newBuilder().setRequest(whole).build()),
          encoded(LaneFrames.request(header, payload, id)),
          whole::toString);
    }
  }

  @Test
  void writesResponsesByteForByteAsProtobufDoes() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < 2_000; i++) {
      Response header =
          Response.newBuilder()
              .setStatusCode(random.nextBoolean() ? 0 : random.nextInt()) // uint32: all 32 bits
              .setStatusMessage(text(random))
              .setTypeName(text(random))
              .setNotStarted(random.nextBoolean())
              .putAllHeaders(strings(random))
              .putAllBinaryHeaders(binaries(random))
              .putAllTrailers(strings(random))
              .putAllBinaryTrailers(binaries(random))
              .setPayloadEncoding(text(random))
              .build();
      Payload payload = payload(random);
      long id = id(random);
      Response whole = header.toBuilder().setPayload(payload.toByteString()).setCallId(id).build();
      assertArrayEquals(
          framed(Frame.newBuilder().setResponse(whole).build()),
          encoded(LaneFrames.response(Reply.of(header, payload), id)),
          whole::toString);
      assertArrayEquals(
          framed(Frame.newBuilder().setResponse(whole).build()),
          encoded(LaneFrames.response(Reply.of(whole.toBuilder().clearCallId().build()), id)),
          "a whole response, its payload inside");
    }
  }

  /**
   * Messages with maps (written here) or details and unknown fields (left to protobuf) arrive
   * whole, with their call id.
   */
  @Test
  void messagesWithMapsDetailsOrUnknownFieldsArriveWhole() throws Exception {
    UnknownFieldSet unknown =
        UnknownFieldSet.newBuilder()
            .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
            .build();
    List<Request> requests =
        List.of(
            Request.newBuilder().setPath("default:math/add").putMetadata("k", "v").build(),
            Request.newBuilder().putBinaryMetadata("k-bin", ByteString.copyFromUtf8("v")).build(),
            Request.newBuilder().setPath("p").setUnknownFields(unknown).build(),
            Request.newBuilder().setPath("p").setCallId(3).build());
    for (Request request : requests) {
      long id = 1L << 40;
      Payload payload = Payload.of(StringValue.of("the payload"));
      assertEquals(
          Frame.newBuilder()
              .setRequest(request.toBuilder().setPayload(payload.toByteString()).setCallId(id))
              .build(),
          parse(encoded(LaneFrames.request(request, payload, id))));
    }
    List<Response> responses =
        List.of(
            Response.newBuilder().setStatusCode(5).putTrailers("t", "x").setTypeName("T").build(),
            Response.newBuilder().putHeaders("h", "y").build(),
            Response.newBuilder().putBinaryHeaders("h-bin", ByteString.copyFromUtf8("y")).build(),
            Response.newBuilder().putBinaryTrailers("t-bin", ByteString.copyFromUtf8("x")).build(),
            Response.newBuilder().addDetails(Any.newBuilder().setTypeUrl("type/x")).build(),
            Response.newBuilder().setUnknownFields(unknown).build());
    for (Response response : responses) {
      Payload payload = Payload.of(StringValue.of("the reply"));
      assertEquals(
          Frame.newBuilder()
              .setResponse(response.toBuilder().setPayload(payload.toByteString()).setCallId(7))
              .build(),
          parse(encoded(LaneFrames.response(Reply.of(response, payload), 7))));
    }
  }

  private static Set<Integer> numbers(List<FieldDescriptor> fields) {
    return fields.stream().map(FieldDescriptor::getNumber).collect(Collectors.toSet());
  }

  /** Often empty (proto3 leaves it out), else up to 40 characters, some of them outside ASCII. */
  private static String text(Random random) {
    if (random.nextInt(3) == 0) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    int length = 1 + random.nextInt(40);
    for (int i = 0; i < length; i++) {
      text.append(random.nextInt(8) == 0 ? (char) (0x80 + random.nextInt(0x700)) : 'a');
    }
    return text.toString();
  }

  /** A map field's entries: mostly none, else up to three, keys and values as {@link #text}. */
  private static Map<String, String> strings(Random random) {
    Map<String, String> map = new LinkedHashMap<>();
    int entries = random.nextInt(2) == 0 ? 0 : random.nextInt(4);
    for (int i = 0; i < entries; i++) {
      map.put(text(random), text(random));
    }
    return map;
  }

  private static Map<String, ByteString> binaries(Random random) {
    Map<String, ByteString> map = new LinkedHashMap<>();
    strings(random).keySet().forEach(key -> map.put(key + "-bin", bytes(random)));
    return map;
  }

  /** Empty, bytes, or a message to serialize. */
  private static Payload payload(Random random) {
    ByteString bytes = bytes(random);
    return random.nextBoolean() ? Payload.of(bytes) : Payload.of(BytesValue.of(bytes));
  }

  /** Mostly a random id; sometimes 0, a call on a stream of its own, which carries none. */
  private static long id(Random random) {
    return random.nextInt(10) == 0 ? 0 : random.nextLong();
  }

  private static ByteString bytes(Random random) {
    byte[] bytes = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(300)];
    random.nextBytes(bytes);
    return ByteString.copyFrom(bytes);
  }

  private static byte[] framed(Frame frame) {
    byte[] body = frame.toByteArray();
    byte[] out = new byte[FrameCodec.LENGTH_BYTES + body.length];
    Unpooled.wrappedBuffer(out).setInt(0, body.length);
    System.arraycopy(body, 0, out, FrameCodec.LENGTH_BYTES, body.length);
    return out;
  }

  /** {@code frame} as the lane's buffer receives it: direct, as sockets' buffers are. */
  private static byte[] encoded(OutboundFrame frame) {
    ByteBuf out = OutboundFrame.encode(UnpooledByteBufAllocator.DEFAULT, List.of(frame));
    try {
      assertEquals(frame.size(), out.readableBytes());
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  private static Frame parse(byte[] framed) throws Exception {
    assertEquals(framed.length - FrameCodec.LENGTH_BYTES, Unpooled.wrappedBuffer(framed).readInt());
    return Frame.parseFrom(Arrays.copyOfRange(framed, FrameCodec.LENGTH_BYTES, framed.length));
  }
}
