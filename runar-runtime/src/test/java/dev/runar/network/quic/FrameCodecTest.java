package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runar.network.Payload;
import dev.runar.network.Reply;
import dev.runar.wire.Cancel;
import dev.runar.wire.Frame;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import dev.runar.wire.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static ByteBuf framed(Frame frame) {
    byte[] bytes = frame.toByteArray();
    return Unpooled.buffer().writeInt(bytes.length).writeBytes(bytes);
  }

  private static Frame message(String text) {
    return Frame.newBuilder()
        .setMessage(StreamMessage.newBuilder().setPayload(ByteString.copyFromUtf8(text)))
        .build();
  }

  @Test
  void decodedPayloadsOwnTheirBytes() {
    EmbeddedChannel channel =
        new EmbeddedChannel(new FrameCodec.Decoder(1 << 20, new ByteBudget(Long.MAX_VALUE)));
    // Both frames in one heap buffer, and the second one split in two: the decoder's buffers
    // are reused between frames, so a payload that aliased them would change under its reader.
    ByteBuf both =
        Unpooled.wrappedBuffer(framed(message("first payload")), framed(message("second payload")));
    channel.writeInbound(both.readRetainedSlice(both.readableBytes() - 3));
    Frame first = channel.readInbound();
    channel.writeInbound(both);
    Frame second = channel.readInbound();
    assertEquals("first payload", first.getMessage().getPayload().toStringUtf8());
    assertEquals("second payload", second.getMessage().getPayload().toStringUtf8());
    assertNull(channel.readInbound());
    channel.finishAndReleaseAll();
  }

  @Test
  void oversizedFramesAreSkippedNotBuffered() {
    EmbeddedChannel channel =
        new EmbeddedChannel(new FrameCodec.Decoder(16, new ByteBudget(Long.MAX_VALUE)));
    channel.writeInbound(
        framed(message("a payload longer than sixteen bytes")), framed(message("ok")));
    assertInstanceOf(FrameCodec.Oversized.class, channel.readInbound());
    assertEquals("ok", ((Frame) channel.readInbound()).getMessage().getPayload().toStringUtf8());
    channel.finishAndReleaseAll();
  }

  /**
   * Frames encoded together into one buffer, as a lane's batch is, arrive whole and in order, and a
   * large one that arrives in many pieces (copied piece by piece into an array of its own) is
   * intact after the pieces are released.
   */
  @Test
  void framesEncodedTogetherArriveWholeAndInOrder() {
    byte[] large = new byte[100 * 1024];
    new Random(0x1a9e).nextBytes(large);
    Request header = Request.newBuilder().setPath("default:echo/call").build();
    Payload payload = Payload.of(ByteString.copyFrom(large));
    Frame cancel = Frame.newBuilder().setCancel(Cancel.newBuilder().setCallId(9)).build();
    Response response = Response.newBuilder().setStatusCode(5).setStatusMessage("gone").build();
    ByteBuf encoded =
        OutboundFrame.encode(
            PooledByteBufAllocator.DEFAULT,
            List.of(
                LaneFrames.request(header, 0, payload, 7),
                OutboundFrame.of(cancel),
                LaneFrames.response(Reply.of(response), 8)));
    EmbeddedChannel channel =
        new EmbeddedChannel(new FrameCodec.Decoder(1 << 20, new ByteBudget(Long.MAX_VALUE)));
    while (encoded.isReadable()) {
      channel.writeInbound(encoded.readRetainedSlice(Math.min(1000, encoded.readableBytes())));
    }
    encoded.release();
    assertEquals(
        Frame.newBuilder()
            .setRequest(header.toBuilder().setPayload(payload.toByteString()).setCallId(7))
            .build(),
        channel.readInbound());
    assertEquals(cancel, channel.readInbound());
    assertEquals(
        Frame.newBuilder().setResponse(response.toBuilder().setCallId(8)).build(),
        channel.readInbound());
    assertNull(channel.readInbound());
    channel.finishAndReleaseAll();
  }

  /**
   * A frame sent a byte at a time is gathered into one array of its length: its reservation is held
   * from its header to its last byte, the decoder knows it is mid-frame meanwhile, and the frame
   * arrives whole.
   */
  @Test
  void aFrameInOneBytePiecesHoldsOnlyItsReservation() {
    ByteBudget budget = new ByteBudget(1 << 20);
    FrameCodec.Decoder decoder = new FrameCodec.Decoder(1 << 20, budget);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    Frame frame = message("x".repeat(70_000)); // over 64 KiB, which used to gather its pieces
    ByteBuf bytes = framed(frame);
    int total = bytes.readableBytes();
    while (bytes.isReadable()) {
      channel.writeInbound(bytes.readRetainedSlice(1));
      if (bytes.readableBytes() > 0 && bytes.readerIndex() >= FrameCodec.LENGTH_BYTES) {
        assertEquals(total, budget.used());
        assertTrue(decoder.midFrame());
        assertEquals(1, bytes.refCnt(), "the decoder holds none of the pieces read");
      }
    }
    bytes.release();
    assertEquals(frame, channel.readInbound());
    assertEquals(0, budget.used());
    assertFalse(decoder.midFrame());
    channel.finishAndReleaseAll();
  }

  /** A stream that ends with a frame half read gives its reservation back. */
  @Test
  void aStreamEndingMidFrameReleasesItsReservation() {
    ByteBudget budget = new ByteBudget(1 << 20);
    EmbeddedChannel channel = new EmbeddedChannel(new FrameCodec.Decoder(1 << 20, budget));
    Frame frame = message("y".repeat(5000));
    ByteBuf bytes = framed(frame);
    channel.writeInbound(bytes.readRetainedSlice(1000));
    bytes.release();
    assertEquals(FrameCodec.LENGTH_BYTES + frame.getSerializedSize(), budget.used());
    channel.finishAndReleaseAll();
    assertEquals(0, budget.used());
  }

  /**
   * A header announcing a large frame costs no allocation of its size: the frame's array grows with
   * what arrives (a peer that announces frames and never sends them pins nothing large).
   */
  @Test
  void aLargeFrameGrowsWithWhatArrives() {
    FrameCodec.Decoder decoder = new FrameCodec.Decoder(64 << 20, new ByteBudget(1L << 30));
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    Frame frame = message("z".repeat(8 << 20));
    ByteBuf bytes = framed(frame);
    channel.writeInbound(bytes.readRetainedSlice(1000));
    assertEquals(FrameCodec.Decoder.FIRST_PART, decoder.gathering());
    channel.writeInbound(bytes.readRetainedSlice(FrameCodec.Decoder.FIRST_PART));
    assertTrue(
        decoder.gathering() <= FrameCodec.Decoder.GROWTH * FrameCodec.Decoder.FIRST_PART,
        "grows by steps");
    channel.writeInbound(bytes);
    assertEquals(frame, channel.readInbound());
    assertEquals(0, decoder.gathering());
    channel.finishAndReleaseAll();
  }
}
