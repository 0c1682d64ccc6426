package dev.runar.network.quic;

import com.google.protobuf.CodedOutputStream;
import dev.runar.wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.IOException;
import java.util.List;

/**
 * A frame on its way to a stream: its size, length prefix included, known when it is made, and its
 * bytes written when it reaches the stream's outgoing buffer, or {@link #encodedNow ahead} (small
 * frames made off the event loop, {@link WriteQueue#prepared}). Frames queued in one event-loop
 * turn are encoded into one buffer ({@link WriteQueue}); a large payload is copied once on its way
 * to QUIC, never first into an array of its own.
 *
 * <p>Implementations are immutable; {@link #size} and {@link #writeTo} from any thread.
 */
interface OutboundFrame {
  /** Bytes this frame takes on the stream, its 4-byte length prefix included. */
  int size();

  /** Writes exactly {@link #size} bytes: the length prefix, then the frame. */
  void writeTo(CodedOutputStream out) throws IOException;

  /** {@code frame}, encoded by protobuf. */
  static OutboundFrame of(Frame frame) {
    int body = frame.getSerializedSize();
    return new OutboundFrame() {
      @Override
      public int size() {
        return FrameCodec.LENGTH_BYTES + body;
      }

      @Override
      public void writeTo(CodedOutputStream out) throws IOException {
        writeLength(out, body);
        frame.writeTo(out);
      }
    };
  }

  /** {@code frame}, encoded now into an array of its own: see {@link WriteQueue#prepared}. */
  static OutboundFrame encodedNow(OutboundFrame frame) {
    byte[] bytes = new byte[frame.size()];
    write(List.of(frame), CodedOutputStream.newInstance(bytes));
    return new OutboundFrame() {
      @Override
      public int size() {
        return bytes.length;
      }

      @Override
      public void writeTo(CodedOutputStream out) throws IOException {
        out.writeRawBytes(bytes);
      }
    };
  }

  /** Writes the length prefix of a frame of {@code length} bytes: 4 bytes, big-endian. */
  static void writeLength(CodedOutputStream out, int length) throws IOException {
    out.write((byte) (length >>> 24));
    out.write((byte) (length >>> 16));
    out.write((byte) (length >>> 8));
    out.write((byte) length);
  }

  /**
   * {@code frames}, one after the other, in one buffer from {@code alloc} of exactly their size.
   */
  static ByteBuf encode(ByteBufAllocator alloc, List<OutboundFrame> frames) {
    int size = 0;
    for (OutboundFrame frame : frames) {
      size += frame.size();
    }
    ByteBuf out = alloc.ioBuffer(size);
    try {
      writeAll(frames, size, out);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** Appends {@code frames}, which take {@code size} bytes together, to {@code out}. */
  static void writeAll(List<OutboundFrame> frames, int size, ByteBuf out) {
    out.ensureWritable(size);
    if (size <= Scratch.BYTES && FastThreadLocalThread.currentThreadHasFastThreadLocal()) {
      // Encoded into an array, then copied: protobuf's encoder for direct buffers checks bounds
      // on every byte it puts (its unsafe one is not used here): 128 ns per 100-byte request
      // frame, against 83 through the array and the copy.
      byte[] scratch = Scratch.ARRAY.get();
      write(frames, CodedOutputStream.newInstance(scratch, 0, size));
      out.writeBytes(scratch, 0, size);
      return;
    }
    write(frames, CodedOutputStream.newInstance(out.nioBuffer(out.writerIndex(), size)));
    out.writerIndex(out.writerIndex() + size);
  }

  private static void write(List<OutboundFrame> frames, CodedOutputStream coded) {
    try {
      for (OutboundFrame frame : frames) {
        frame.writeTo(coded);
      }
    } catch (IOException e) {
      throw new IllegalStateException("a frame did not fit its own size", e);
    }
    coded.checkNoSpaceLeft();
  }

  /**
   * Each event loop's array to encode small batches in. Other threads (a handler's, which may be a
   * new virtual thread each call) encode straight into the buffer rather than each keep an array.
   */
  final class Scratch {
    static final int BYTES = 16 * 1024;
    static final FastThreadLocal<byte[]> ARRAY =
        new FastThreadLocal<>() {
          @Override
          protected byte[] initialValue() {
            return new byte[BYTES];
          }
        };

    private Scratch() {}
  }
}
