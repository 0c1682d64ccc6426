package dev.runar.network.quic;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.runar.wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Runar's framing on a QUIC stream: each {@link Frame} is preceded by its length as a 4-byte
 * big-endian unsigned integer. Frames over the size limit are not buffered: the decoder reports an
 * {@link Oversized} marker and skips their bytes, so the stream's owner can answer
 * RESOURCE_EXHAUSTED and the connection lives on.
 */
final class FrameCodec {
  static final int LENGTH_BYTES = 4;

  private FrameCodec() {}

  /** Turns a frame's bytes into the message handlers read: a {@link Frame}, or what it carries. */
  @FunctionalInterface
  interface Reader {
    Object read(byte[] frame) throws IOException;
  }

  /**
   * {@code frame}'s bytes as a {@link Frame}, its bytes fields (payloads) aliasing the array, which
   * the caller hands over.
   */
  static Frame frame(byte[] frame) throws IOException {
    return Frame.parseFrom(aliasing(frame, 0));
  }

  /**
   * Protobuf's input over {@code frame} from {@code start} on, its bytes fields aliasing the array.
   */
  static CodedInputStream aliasing(byte[] frame, int start) {
    // Aliasing applies only to input protobuf knows to be immutable: a wrapped ByteString's.
    CodedInputStream in =
        UnsafeByteOperations.unsafeWrap(frame, start, frame.length - start).newCodedInput();
    in.enableAliasing(true);
    return in;
  }

  /**
   * The marker the decoder emits in place of a frame it does not accept, whose bytes it skips.
   *
   * @param limit what the frame exceeds, for the status message
   */
  record Oversized(long length, String limit) {
    /** "{@code what} of N bytes exceeds {@code limit}". */
    String describe(String what) {
      return what + " of " + length + " bytes exceeds " + limit;
    }
  }

  /**
   * Decodes length-prefixed frames. A frame's length is reserved from the connection's {@link
   * ByteBudget} as soon as its header arrives and released when it is complete or the stream ends.
   *
   * <p>A frame that arrives in pieces is copied, piece by piece, into an array of its own, the one
   * its message is then parsed from: a half-read frame holds no more than its reservation counts,
   * however small the pieces a peer sends (gathering the stream's own buffers instead would hold
   * each piece's whole buffer). The array grows with what has arrived, from {@link #FIRST_PART} by
   * a factor of {@link #GROWTH} up to the frame's length: a header announcing a large frame costs
   * no large allocation until its bytes arrive, and a 1 MiB frame is copied a sixteenth more than
   * once (measured on 1 MiB calls, steady state, same sitting: 690-827 a second, median 757,
   * growing by 16; 693-768, median 726, by 4; earlier, 594-682 by doubling against 634-759 by 4).
   * The price is that 64 KiB arriving may make the array 1 MiB: what a frame may hold is bounded by
   * the budget all the same.
   */
  static final class Decoder extends ByteToMessageDecoder {
    private final int maxFrameSize;
    private final ByteBudget budget;
    private Reader reader = FrameCodec::frame;
    private long skipping;

    /**
     * What has arrived of the frame being gathered ({@code filled} bytes); empty between frames.
     */
    private byte[] partial = EMPTY;

    private int filled;

    /**
     * The length of the frame being gathered, 0 between frames; while it is not 0, the frame's
     * length prefix and body are reserved from the budget (a frame of length 0 is never gathered).
     */
    private int expected;

    private static final byte[] EMPTY = new byte[0];

    /** A gathered frame's first array holds up to this much of it. */
    static final int FIRST_PART = 64 * 1024;

    /** How much larger each next array is, at least. */
    static final int GROWTH = 16;

    Decoder(int maxFrameSize, ByteBudget budget) {
      this.maxFrameSize = maxFrameSize;
      this.budget = budget;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Exception {
      if (skipping > 0) {
        int skip = (int) Math.min(skipping, in.readableBytes());
        in.skipBytes(skip);
        skipping -= skip;
        return;
      }
      if (filled < expected) {
        gather(in);
        if (filled == expected) {
          byte[] frame = partial;
          endGathering();
          out.add(parse(frame));
        }
        return;
      }
      if (in.readableBytes() < LENGTH_BYTES) {
        return;
      }
      long length = in.getUnsignedInt(in.readerIndex());
      if (length > maxFrameSize) {
        skip(in, length, out, new Oversized(length, "this node's frame limit"));
        return;
      }
      if (in.readableBytes() < LENGTH_BYTES + length) {
        if (!budget.tryReserve(LENGTH_BYTES + length)) {
          skip(in, length, out, new Oversized(length, "what this connection may buffer now"));
          return;
        }
        in.skipBytes(LENGTH_BYTES);
        expected = (int) length;
        gather(in);
        return;
      }
      in.skipBytes(LENGTH_BYTES);
      // One copy out of the stream's (pooled, soon reused) buffer into an array of our own, so
      // the frame's bytes fields (payloads) can alias it instead of being copied a second time.
      byte[] bytes = ByteBufUtil.getBytes(in, in.readerIndex(), (int) length, true);
      in.skipBytes(bytes.length);
      out.add(parse(bytes));
    }

    /** Copies what {@code in} holds of the frame being gathered, growing its array as needed. */
    private void gather(ByteBuf in) {
      int n = Math.min(in.readableBytes(), expected - filled);
      if (filled + n > partial.length) {
        long size = Math.max(filled + n, Math.max(FIRST_PART, (long) partial.length * GROWTH));
        partial = Arrays.copyOf(partial, (int) Math.min(size, expected));
      }
      in.readBytes(partial, filled, n);
      filled += n;
    }

    /**
     * From the next frame on, emits a call's request or response as its {@link
     * dev.runar.wire.Request} or {@link dev.runar.wire.Response} rather than in a {@link Frame}
     * (see {@link CallFrameReader}): the stream is a lane.
     */
    void readCalls() {
      reader = new CallFrameReader();
    }

    private Object parse(byte[] frame) {
      try {
        return reader.read(frame);
      } catch (IOException e) { // InvalidProtocolBufferException: reading an array does no I/O
        throw new CorruptedFrameException("malformed frame: " + e.getMessage(), e);
      }
    }

    private void skip(ByteBuf in, long length, List<Object> out, Oversized marker) {
      in.skipBytes(LENGTH_BYTES);
      skipping = length;
      out.add(marker);
    }

    /** The size of the array holding the frame being gathered: 0 between frames. */
    int gathering() {
      return partial.length;
    }

    /** Whether part of a frame has arrived and the rest has not (its bytes, or ones to skip). */
    boolean midFrame() {
      return skipping > 0 || filled < expected || internalBuffer().isReadable();
    }

    /** Drops the frame being gathered, if any, and gives back its reservation. */
    private void endGathering() {
      if (expected > 0) {
        budget.release(LENGTH_BYTES + expected);
      }
      partial = EMPTY;
      filled = 0;
      expected = 0;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
      endGathering(); // the stream ended with a frame half read
    }
  }

  /**
   * Writes {@code frame} as the last frame of {@code stream}, with the FIN in the same write: data
   * and FIN then travel together, the peer reads both at once, and once both sides have sent theirs
   * QUIC retires the stream on both nodes (a FIN sent later costs a packet of its own and, arriving
   * after the reader closed its stream, would leave QUIC keeping the stream around).
   */
  static ChannelFuture writeLast(QuicStreamChannel stream, OutboundFrame frame) {
    return stream.writeAndFlush(
        new DefaultQuicStreamFrame(OutboundFrame.encode(stream.alloc(), List.of(frame)), true));
  }

  /** Lets handlers of {@code stream} write {@link Frame} objects, whatever their position. */
  static void addEncoder(QuicStreamChannel stream) {
    stream.pipeline().addFirst(new Encoder());
  }

  /** Encodes frames with their length prefix, serializing straight into the outgoing buffer. */
  private static final class Encoder extends MessageToByteEncoder<Frame> {
    Encoder() {
      super(Frame.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
      int size = LENGTH_BYTES + frame.getSerializedSize();
      return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
      OutboundFrame encoded = OutboundFrame.of(frame);
      OutboundFrame.writeAll(List.of(encoded), encoded.size(), out);
    }
  }
}
