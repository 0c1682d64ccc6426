package dev.runar.network.quic;

import dev.runar.network.PeerConnection;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

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
            new DropReads() {
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

  /** Opens a stream on {@code connection} for a test to write raw bytes to; replies are dropped. */
  static QuicStreamChannel open(QuicChannel connection) throws Exception {
    return connection
        .createStream(QuicStreamType.BIDIRECTIONAL, new DropReads())
        .get(10, TimeUnit.SECONDS);
  }

  /**
   * A UDP socket on 127.0.0.1 with a QUIC client codec that trusts any server and offers {@code
   * alpn}, for a test that plays a raw peer; {@code limits} sets its flow-control limits.
   */
  static Channel clientSocket(
      EventLoopGroup group, String alpn, UnaryOperator<QuicClientCodecBuilder> limits)
      throws Exception {
    QuicSslContext tls =
        QuicSslContextBuilder.forClient()
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .applicationProtocols(alpn)
            .build();
    ChannelHandler codec =
        limits
            .apply(
                new QuicClientCodecBuilder()
                    .sslContext(tls)
                    .sslEngineProvider(q -> tls.newEngine(q.alloc(), TlsContexts.PEER_HOST_NAME, 0))
                    .maxIdleTimeout(10, TimeUnit.SECONDS)
                    .initialMaxData(1 << 20)
                    .initialMaxStreamDataBidirectionalLocal(1 << 20))
            .build();
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(codec)
        .bind(new InetSocketAddress("127.0.0.1", 0))
        .sync()
        .channel();
  }

  /** Drops what the peer sends on a stream; extended by tests that also act on other events. */
  static class DropReads extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }
}
