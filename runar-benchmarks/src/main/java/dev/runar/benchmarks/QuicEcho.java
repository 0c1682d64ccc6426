package dev.runar.benchmarks;

import dev.runar.benchmarks.proto.Payload;
import dev.runar.security.DevelopmentCa;
import dev.runar.security.NodeCredentials;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: a bare Netty QUIC echo (TLS 1.3, one stream per request, handlers on the event loop,
 * no framework) on the same sockets and QUIC settings as Runar's transport, carrying the same
 * serialized payload. How close Runar gets to this is how much the framework costs on top of its
 * transport.
 */
final class QuicEcho implements EchoClient {
  private static final String ALPN = "bench-echo";

  /** Runar's own UDP limit and socket setup (native epoll, batched and segmented sends). */
  private static final int MAX_UDP_PAYLOAD = 1472;

  private final EventLoopGroup serverGroup =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final EventLoopGroup clientGroup =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final Channel server;
  private final Channel client;
  private final QuicChannel connection;

  QuicEcho() throws Exception {
    Epoll.ensureAvailability();
    NodeCredentials self = DevelopmentCa.selfSigned("echo");
    QuicSslContext serverTls =
        QuicSslContextBuilder.forServer(
                self.privateKey(), null, self.certificateChain().toArray(X509Certificate[]::new))
            .applicationProtocols(ALPN)
            .build();
    server =
        udp(serverGroup)
            .handler(
                tune(new QuicServerCodecBuilder().sslContext(serverTls))
                    .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                    .option(
                        QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                        EpollQuicUtils.newSegmentedAllocator(16))
                    .handler(new ChannelInboundHandlerAdapter())
                    .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .streamHandler(
                        new ChannelInitializer<QuicStreamChannel>() {
                          @Override
                          protected void initChannel(QuicStreamChannel stream) {
                            stream.pipeline().addLast(new EchoStream());
                          }
                        })
                    .build())
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    QuicSslContext clientTls =
        QuicSslContextBuilder.forClient()
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .applicationProtocols(ALPN)
            .build();
    client =
        udp(clientGroup)
            .handler(tune(new QuicClientCodecBuilder().sslContext(clientTls)).build())
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    connection =
        QuicChannel.newBootstrap(client)
            .option(
                QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                EpollQuicUtils.newSegmentedAllocator(16))
            .handler(new ChannelInboundHandlerAdapter())
            .remoteAddress(server.localAddress())
            .connect()
            .get(10, TimeUnit.SECONDS);
  }

  private static Bootstrap udp(EventLoopGroup group) {
    return new Bootstrap()
        .group(group)
        .channel(EpollDatagramChannel.class)
        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_PAYLOAD);
  }

  private static <B extends QuicCodecBuilder<B>> B tune(B builder) {
    return builder
        .maxIdleTimeout(30, TimeUnit.SECONDS)
        .maxAckDelay(1, TimeUnit.MILLISECONDS)
        .maxRecvUdpPayloadSize(MAX_UDP_PAYLOAD)
        .maxSendUdpPayloadSize(MAX_UDP_PAYLOAD)
        .initialMaxData(16L << 20)
        .initialMaxStreamDataBidirectionalLocal(1 << 20)
        .initialMaxStreamDataBidirectionalRemote(1 << 20)
        .initialMaxStreamsBidirectional(4096);
  }

  @Override
  public CompletableFuture<Payload> call(Payload request) {
    CompletableFuture<Payload> result = new CompletableFuture<>();
    byte[] bytes = request.toByteArray();
    connection
        .createStream(
            QuicStreamType.BIDIRECTIONAL,
            new ChannelInboundHandlerAdapter() {
              private ByteBuf reply = Unpooled.EMPTY_BUFFER;

              @Override
              public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(bytes), true));
              }

              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                reply = Unpooled.wrappedBuffer(reply, (ByteBuf) msg);
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                try (ByteBufInputStream in = new ByteBufInputStream(reply, true)) {
                  result.complete(Payload.parseFrom(in));
                } catch (IOException e) {
                  result.completeExceptionally(e);
                }
              }
            })
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
              }
            });
    return result;
  }

  @Override
  public void close() {
    connection.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    client.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Server side: collects the request until the client's FIN, then echoes it and FINs. */
  private static final class EchoStream extends ChannelInboundHandlerAdapter {
    private ByteBuf request = Unpooled.EMPTY_BUFFER;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      request = Unpooled.wrappedBuffer(request, (ByteBuf) msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownReadComplete) {
        ctx.writeAndFlush(new DefaultQuicStreamFrame(request, true));
      }
    }
  }
}
