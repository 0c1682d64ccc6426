package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.primitives.Bytes;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import com.google.protobuf.UnknownFieldSet;
import dev.runar.network.Payload;
import dev.runar.network.Reply;
import dev.runar.wire.BinaryMetadataEntry;
import dev.runar.wire.Cancel;
import dev.runar.wire.Frame;
import dev.runar.wire.MetadataEntry;
import dev.runar.wire.MethodType;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
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
  void writesRequestsByteForByteAsProtobufDoesAndReadsThemBack() throws Exception {
    Random random = new Random(SEED);
    CallFrameReader reader = new CallFrameReader();
    for (int i = 0; i < 2_000; i++) {
      Request header =
          Request.newBuilder()
              .setPath(text(random))
              .setTimeoutMicros(random.nextBoolean() ? 0 : random.nextLong())
              .addAllMetadata(entries(strings(random)))
              .setTypeName(text(random))
              .setTypeValue(random.nextInt(MethodType.values().length - 1))
              .addAllBinaryMetadata(binaryEntries(binaries(random)))
              .setPayloadEncoding(text(random))
              .setResponseEncoding(text(random))
              .build();
      Payload payload = payload(random);
      long id = id(random);
      long timeout = random.nextBoolean() ? 0 : random.nextLong(); // replaces the header's own
      Request whole =
          header.toBuilder()
              .setTimeoutMicros(timeout)
              .setPayload(payload.toByteString())
              .setCallId(id)
              .build();
      byte[] encoded = encoded(LaneFrames.request(header, timeout, payload, id));
      assertArrayEquals(
          framed(Frame.newBuilder().setRequest(whole).build()), encoded, whole::toString);
      assertEquals(whole, read(reader, encoded), "read back");
    }
  }

  @Test
  void writesBatchesOfAnySizeAndFramesEncodedAheadAlike() throws Exception {
    Random random = new Random(SEED);
    Request header = Request.newBuilder().setPath("net:svc/call").setTypeName("t.T").build();
    int over = 0;
    // Batches of 1 to 40 frames of up to 1 KiB payloads: under and over the array that small
    // batches are encoded in on an event loop, and on another thread, which has no such array.
    for (int i = 0; i < 300; i++) {
      List<OutboundFrame> frames = new ArrayList<>();
      List<OutboundFrame> ahead = new ArrayList<>();
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      int frameCount = 1 + random.nextInt(40);
      for (int f = 0; f < frameCount; f++) {
        byte[] bytes = new byte[random.nextInt(1024)];
        random.nextBytes(bytes);
        Payload payload = Payload.of(BytesValue.of(ByteString.copyFrom(bytes)));
        long id = 1 + random.nextInt(1 << 20);
        OutboundFrame frame = LaneFrames.request(header, 1_000, payload, id);
        frames.add(frame);
        ahead.add(OutboundFrame.encodedNow(frame));
        Request whole =
            header.toBuilder()
                .setTimeoutMicros(1_000)
                .setPayload(payload.toByteString())
                .setCallId(id)
                .build();
        expected.write(framed(Frame.newBuilder().setRequest(whole).build()));
      }
      assertArrayEquals(expected.toByteArray(), encoded(frames), "batch " + i);
      assertArrayEquals(
          expected.toByteArray(), encodedOnEventLoopThread(frames), "event loop, batch " + i);
      assertArrayEquals(expected.toByteArray(), encoded(ahead), "encoded ahead, batch " + i);
      over += expected.size() > OutboundFrame.Scratch.BYTES ? 1 : 0;
    }
    assertTrue(over > 30 && over < 270, "batches over the array: " + over);
  }

  @Test
  void writesResponsesByteForByteAsProtobufDoesAndReadsThemBack() throws Exception {
    Random random = new Random(SEED + 1);
    CallFrameReader reader = new CallFrameReader();
    for (int i = 0; i < 2_000; i++) {
      Response header =
          Response.newBuilder()
              .setStatusCode(random.nextBoolean() ? 0 : random.nextInt()) // uint32: all 32 bits
              .setStatusMessage(text(random))
              .setTypeName(text(random))
              .setNotStarted(random.nextBoolean())
              .addAllHeaders(entries(strings(random)))
              .addAllBinaryHeaders(binaryEntries(binaries(random)))
              .addAllTrailers(entries(strings(random)))
              .addAllBinaryTrailers(binaryEntries(binaries(random)))
              .setPayloadEncoding(text(random))
              .build();
      Payload payload = payload(random);
      long id = id(random);
      Response whole = header.toBuilder().setPayload(payload.toByteString()).setCallId(id).build();
      byte[] encoded = encoded(LaneFrames.response(Reply.of(header, payload), id));
      assertArrayEquals(
          framed(Frame.newBuilder().setResponse(whole).build()), encoded, whole::toString);
      assertEquals(whole, read(reader, encoded), "read back");
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
            Request.newBuilder()
                .setPath("default:math/add")
                .addAllMetadata(entries(Map.of("k", "v")))
                .build(),
            Request.newBuilder()
                .addAllBinaryMetadata(binaryEntries(Map.of("k-bin", ByteString.copyFromUtf8("v"))))
                .build(),
            Request.newBuilder().setPath("p").setUnknownFields(unknown).build(),
            Request.newBuilder().setPath("p").setCallId(3).build());
    CallFrameReader reader = new CallFrameReader();
    for (Request request : requests) {
      long id = 1L << 40;
      Payload payload = Payload.of(StringValue.of("the payload"));
      Request whole =
          request.toBuilder()
              .setTimeoutMicros(5)
              .setPayload(payload.toByteString())
              .setCallId(id)
              .build();
      byte[] encoded = encoded(LaneFrames.request(request, 5, payload, id));
      assertEquals(Frame.newBuilder().setRequest(whole).build(), parse(encoded));
      assertEquals(whole, read(reader, encoded));
    }
    List<Response> responses =
        List.of(
            Response.newBuilder()
                .setStatusCode(5)
                .addAllTrailers(entries(Map.of("t", "x")))
                .setTypeName("T")
                .build(),
            Response.newBuilder().addAllHeaders(entries(Map.of("h", "y"))).build(),
            Response.newBuilder()
                .addAllBinaryHeaders(binaryEntries(Map.of("h-bin", ByteString.copyFromUtf8("y"))))
                .build(),
            Response.newBuilder()
                .addAllBinaryTrailers(binaryEntries(Map.of("t-bin", ByteString.copyFromUtf8("x"))))
                .build(),
            Response.newBuilder().addDetails(Any.newBuilder().setTypeUrl("type/x")).build(),
            Response.newBuilder().setUnknownFields(unknown).build());
    for (Response response : responses) {
      Payload payload = Payload.of(StringValue.of("the reply"));
      Response whole = response.toBuilder().setPayload(payload.toByteString()).setCallId(7).build();
      byte[] encoded = encoded(LaneFrames.response(Reply.of(response, payload), 7));
      assertEquals(Frame.newBuilder().setResponse(whole).build(), parse(encoded));
      assertEquals(whole, read(reader, encoded));
    }
  }

  /**
   * A call's path and type name are both kept, whichever slots their hashes pick: one string a slot
   * made the two evict each other for about one pair in thirty, and every call decoded both.
   */
  @Test
  void keepsAPathAndATypeNameWhateverTheirHashes() throws Exception {
    Random random = new Random(SEED + 5);
    for (int i = 0; i < 500; i++) {
      CallFrameReader reader = new CallFrameReader();
      Request call =
          Request.newBuilder()
              .setPath("net-" + random.nextInt() + ":svc/Call")
              .setTypeName("pkg.T" + random.nextInt())
              .setCallId(1)
              .build();
      Request one = (Request) reader.read(body(call));
      Request two = (Request) reader.read(body(call.toBuilder().setCallId(2).build()));
      assertSame(one.getPath(), two.getPath(), call::toString);
      assertSame(one.getTypeName(), two.getTypeName(), call::toString);
    }
  }

  /**
   * A lane's reader keeps the strings it read and hands the same one back for the same bytes; a
   * frame other than a call's request or response, or one with more than that field, is a Frame.
   */
  @Test
  void readsRepeatedStringsAsOneAndOtherFramesAsFrames() throws Exception {
    CallFrameReader reader = new CallFrameReader();
    Request first = Request.newBuilder().setPath("default:math/add").setCallId(1).build();
    Request second = first.toBuilder().setCallId(2).build();
    Request one = (Request) reader.read(body(first));
    Request two = (Request) reader.read(body(second));
    assertEquals(second, two);
    assertSame(one.getPath(), two.getPath());
    String longPath = "x".repeat(200); // longer than what is kept: decoded each time, still right
    assertEquals(
        longPath,
        ((Request) reader.read(body(first.toBuilder().setPath(longPath).build()))).getPath());
    Frame cancel = Frame.newBuilder().setCancel(Cancel.newBuilder().setCallId(9)).build();
    assertEquals(cancel, reader.read(cancel.toByteArray()));
    byte[] twice = Bytes.concat(body(first), body(second)); // two request fields: protobuf merges
    assertEquals(Frame.parseFrom(twice), reader.read(twice));
  }

  /**
   * Mutated frames (bytes flipped, dropped, inserted, cut short) read as protobuf reads them: the
   * same message, or a failure for both. Seeded and bounded.
   */
  @Test
  void readsMutatedFramesAsProtobufDoes() throws Exception {
    Random random = new Random(SEED + 2);
    CallFrameReader reader = new CallFrameReader();
    int failures = 0;
    for (int i = 0; i < 20_000; i++) {
      if (!readsAsProtobufDoes(reader, mutated(random, validFrame(random)))) {
        failures++;
      }
    }
    assertTrue(
        failures > 1_000 && failures < 19_000, "mutations both kept and broke frames: " + failures);
  }

  /**
   * Varints at their edges read as protobuf reads them: a tag or a length written in more bytes
   * than it needs, ten-byte values (bits past 64 dropped), eleven bytes (refused), a length whose
   * high bits are set (protobuf keeps the low 32).
   */
  @Test
  void readsVarintsAtTheirEdgesAsProtobufDoes() throws Exception {
    byte[] path = "default:echo/call".getBytes(StandardCharsets.UTF_8);
    byte pathTag = (byte) (Request.PATH_FIELD_NUMBER << 3 | 2);
    byte idTag = (byte) (Request.CALL_ID_FIELD_NUMBER << 3);
    byte[] ten = {(byte) 0xff, -1, -1, -1, -1, -1, -1, -1, -1, 0x7f};
    byte[] eleven = {(byte) 0xff, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};
    List<byte[]> bodies =
        List.of(
            Bytes.concat(new byte[] {(byte) (pathTag | 0x80), 0x00, (byte) path.length}, path),
            Bytes.concat(new byte[] {pathTag, (byte) (path.length | 0x80), 0x00}, path),
            Bytes.concat(
                new byte[] {pathTag, (byte) (path.length | 0x80), -128, -128, -128, 0x10}, path),
            Bytes.concat(new byte[] {idTag}, ten),
            Bytes.concat(new byte[] {idTag}, eleven),
            Bytes.concat(new byte[] {idTag}, Arrays.copyOf(ten, 4)));
    CallFrameReader reader = new CallFrameReader();
    int refused = 0;
    for (byte[] body : bodies) {
      for (byte kind : new byte[] {REQUEST_TAG, RESPONSE_TAG}) {
        if (!readsAsProtobufDoes(
            reader, Bytes.concat(new byte[] {kind, (byte) body.length}, body))) {
          refused++;
        }
      }
    }
    assertTrue(refused > 0 && refused < 12, "some edges refused, some read: " + refused);
  }

  private static final byte REQUEST_TAG = (byte) (Frame.REQUEST_FIELD_NUMBER << 3 | 2);
  private static final byte RESPONSE_TAG = (byte) (Frame.RESPONSE_FIELD_NUMBER << 3 | 2);

  /**
   * Asserts that {@code reader} reads {@code frame} as protobuf parses it: the same message, or a
   * failure for both; returns whether protobuf read it.
   */
  private static boolean readsAsProtobufDoes(CallFrameReader reader, byte[] frame)
      throws IOException {
    Object expected;
    try {
      expected = Frame.parseFrom(frame);
    } catch (InvalidProtocolBufferException e) {
      expected = e;
    }
    Object actual;
    try {
      actual = reader.read(frame);
    } catch (InvalidProtocolBufferException e) {
      actual = e;
    }
    if (expected instanceof Exception) {
      assertInstanceOf(InvalidProtocolBufferException.class, actual, () -> Arrays.toString(frame));
      return false;
    }
    assertEquals(expected, asFrame(actual), () -> Arrays.toString(frame));
    return true;
  }

  private static Frame validFrame(Random random) {
    Request request =
        Request.newBuilder()
            .setPath(random.nextBoolean() ? "default:echo/call" : text(random))
            .setTimeoutMicros(random.nextInt(3) == 0 ? 0 : random.nextLong())
            .addAllMetadata(entries(random.nextInt(4) == 0 ? strings(random) : Map.of()))
            .setTypeName(random.nextBoolean() ? "bench.Payload" : text(random))
            .setPayload(bytes(random))
            .setTypeValue(random.nextInt(MethodType.values().length - 1))
            .setCallId(id(random))
            .setPayloadEncoding(random.nextInt(4) == 0 ? "gzip" : "")
            .build();
    Response response =
        Response.newBuilder()
            .setStatusCode(random.nextInt(3) == 0 ? random.nextInt(17) : 0)
            .setStatusMessage(random.nextInt(3) == 0 ? text(random) : "")
            .setTypeName(random.nextBoolean() ? "bench.Payload" : text(random))
            .setPayload(bytes(random))
            .setNotStarted(random.nextInt(5) == 0)
            .addAllTrailers(entries(random.nextInt(4) == 0 ? strings(random) : Map.of()))
            .setCallId(id(random))
            .build();
    return switch (random.nextInt(3)) {
      case 0 -> Frame.newBuilder().setRequest(request).build();
      case 1 -> Frame.newBuilder().setResponse(response).build();
      default -> Frame.newBuilder().setCancel(Cancel.newBuilder().setCallId(id(random))).build();
    };
  }

  /** One to three random edits of {@code frame}'s bytes. */
  private static byte[] mutated(Random random, Frame frame) {
    byte[] bytes = frame.toByteArray();
    for (int edits = 1 + random.nextInt(3); edits > 0 && bytes.length > 0; edits--) {
      int at = random.nextInt(bytes.length);
      bytes =
          switch (random.nextInt(4)) {
            case 0 -> {
              bytes[at] ^= (byte) (1 << random.nextInt(8));
              yield bytes;
            }
            case 1 ->
                Bytes.concat(
                    Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + 1, bytes.length));
            case 2 ->
                Bytes.concat(
                    Arrays.copyOf(bytes, at),
                    new byte[] {(byte) random.nextInt()},
                    Arrays.copyOfRange(bytes, at, bytes.length));
            default -> Arrays.copyOf(bytes, at);
          };
    }
    return bytes;
  }

  /** What a lane's reader returned, as the Frame protobuf would have read. */
  private static Frame asFrame(Object read) {
    if (read instanceof Request request) {
      return Frame.newBuilder().setRequest(request).build();
    }
    if (read instanceof Response response) {
      return Frame.newBuilder().setResponse(response).build();
    }
    return (Frame) read;
  }

  /** A frame's bytes (no length prefix) holding {@code request}. */
  private static byte[] body(Request request) {
    return Frame.newBuilder().setRequest(request).build().toByteArray();
  }

  /** What {@code reader} reads from {@code framed}, a frame with its length prefix. */
  private static Object read(CallFrameReader reader, byte[] framed) throws Exception {
    return reader.read(Arrays.copyOfRange(framed, FrameCodec.LENGTH_BYTES, framed.length));
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
  private static List<MetadataEntry> entries(Map<String, String> map) {
    return map.entrySet().stream()
        .map(e -> MetadataEntry.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build())
        .toList();
  }

  private static List<BinaryMetadataEntry> binaryEntries(Map<String, ByteString> map) {
    return map.entrySet().stream()
        .map(
            e -> BinaryMetadataEntry.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build())
        .toList();
  }

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
    return encoded(List.of(frame));
  }

  /** {@code frames}, one batch, as the lane's buffer receives them. */
  private static byte[] encoded(List<OutboundFrame> frames) {
    ByteBuf out = OutboundFrame.encode(UnpooledByteBufAllocator.DEFAULT, frames);
    try {
      assertEquals(frames.stream().mapToInt(OutboundFrame::size).sum(), out.readableBytes());
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  /** {@link #encoded(List)} on a thread of the kind Netty's event loops run on. */
  private static byte[] encodedOnEventLoopThread(List<OutboundFrame> frames) throws Exception {
    AtomicReference<byte[]> encoded = new AtomicReference<>();
    Thread thread = new FastThreadLocalThread(() -> encoded.set(encoded(frames)));
    thread.start();
    thread.join(10_000);
    return encoded.get();
  }

  private static Frame parse(byte[] framed) throws Exception {
    assertEquals(framed.length - FrameCodec.LENGTH_BYTES, Unpooled.wrappedBuffer(framed).readInt());
    return Frame.parseFrom(Arrays.copyOfRange(framed, FrameCodec.LENGTH_BYTES, framed.length));
  }
}
