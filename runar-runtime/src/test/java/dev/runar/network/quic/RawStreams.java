package dev.runar.network.quic;

import dev.runar.network.PeerConnection;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** For tests outside this package: raw bytes on new streams of a QUIC connection. */
public final class RawStreams {
  private RawStreams() {}

  /** {@code body} behind a 4-byte length prefix, as Runar frames are. */
  public static byte[] framed(byte[] body) {
    return ByteBuffer.allocate(FrameCodec.LENGTH_BYTES + body.length)
        .putInt(body.length)
        .put(body)
        .array();
  }

  /**
   * Opens a stream on {@code connection}, writes {@code bytes}, then finishes it (FIN) or resets
   * it; completes once the stream is closed (by either side, or after 5 s by this side).
   */
  public static CompletableFuture<Void> send(
      PeerConnection connection, byte[] bytes, boolean reset) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    QuicConnection quic = (QuicConnection) connection;
    quic.channel()
        .createStream(
            QuicStreamType.BIDIRECTIONAL,
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
              }
            })
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                done.complete(null);
                return;
              }
              QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
              stream.closeFuture().addListener(c -> done.complete(null));
              stream.eventLoop().schedule(() -> stream.close(), 5, TimeUnit.SECONDS);
              stream
                  .writeAndFlush(Unpooled.wrappedBuffer(bytes))
                  .addListener(
                      w -> {
                        if (reset) {
                          stream.shutdownOutput(0x7).addListener(r -> stream.close());
                        } else {
                          stream.shutdownOutput();
                        }
                      });
            });
    return done;
  }
}
