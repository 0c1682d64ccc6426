package dev.runar.benchmarks;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.runar.benchmarks.proto.Payload;
import dev.runar.security.DevelopmentCa;
import dev.runar.security.NodeCredentials;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling: a bare Netty QUIC echo (TLS 1.3, handlers on the event loop, no framework) with the
 * same design, sockets and QUIC settings as Runar's transport, carrying the same serialized
 * payload: small calls as length-prefixed frames tagged with a call id on two long-lived lanes,
 * written through a queue drained once per event-loop turn; payloads over 64 KiB on a stream of
 * their own; 16,000-byte datagrams on loopback with receive buffers and GSO sized for them; the
 * replies of one read of the client's socket completed together at its end. How close Runar gets to
 * this is how much the framework costs on top of its transport.
 */
final class QuicEcho implements EchoClient {
  private static final String ALPN = "bench-echo";

  /** Runar's UDP payload on loopback and socket setup (native epoll, batched, segmented). */
  private static final int MAX_UDP_PAYLOAD = 16_000;

  private static final int SEGMENTS = 65_507 / MAX_UDP_PAYLOAD;
  private static final int RECEIVE_BUFFER = MAX_UDP_PAYLOAD * 16;
  private static final int SOCKET_BUFFER = 4 * 1024 * 1024;

  /** Runar's buffers (see its DatagramIo): pooled at every size. */
  private static final ByteBufAllocator BUFFERS = PooledByteBufAllocator.DEFAULT;

  /** As Runar: lanes per connection, and the largest payload a lane carries. */
  private static final int LANES = 2;

  private static final int MAX_LANE_PAYLOAD = 64 * 1024;
  private static final byte LANE = 'L';
  private static final byte SINGLE = 'S';

  private final EventLoopGroup serverGroup =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final EventLoopGroup clientGroup =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final Channel server;
  private final Channel client;
  private final QuicChannel connection;
  private final ReadBurst burst = new ReadBurst();
  private final Lane[] lanes = new Lane[LANES];
  private final AtomicLong ids = new AtomicLong();

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
                        EpollQuicUtils.newSegmentedAllocator(SEGMENTS))
                    .handler(new ChannelInboundHandlerAdapter())
                    .option(ChannelOption.ALLOCATOR, BUFFERS)
                    .streamOption(ChannelOption.ALLOCATOR, BUFFERS)
                    .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .streamHandler(
                        new ChannelInitializer<QuicStreamChannel>() {
                          @Override
                          protected void initChannel(QuicStreamChannel stream) {
                            stream.pipeline().addLast(new Dispatch());
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
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel
                        .pipeline()
                        .addLast(
                            burst,
                            tune(new QuicClientCodecBuilder().sslContext(clientTls)).build());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    connection =
        QuicChannel.newBootstrap(client)
            .option(
                QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                EpollQuicUtils.newSegmentedAllocator(SEGMENTS))
            .option(ChannelOption.ALLOCATOR, BUFFERS)
            .streamOption(ChannelOption.ALLOCATOR, BUFFERS)
            .handler(new ChannelInboundHandlerAdapter())
            .remoteAddress(server.localAddress())
            .connect()
            .get(10, TimeUnit.SECONDS);
    for (int i = 0; i < LANES; i++) {
      lanes[i] = new Lane(connection, burst);
    }
  }

  private static Bootstrap udp(EventLoopGroup group) {
    return new Bootstrap()
        .group(group)
        .channel(EpollDatagramChannel.class)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_PAYLOAD)
        .option(ChannelOption.ALLOCATOR, BUFFERS)
        .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
        .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER);
  }

  /** Runar's settings for its default 4 MiB message limit (see QuicTransport). */
  private static <B extends QuicCodecBuilder<B>> B tune(B builder) {
    long streamWindow = 4 * 1024 * 1024 + 64 * 1024;
    return builder
        .maxIdleTimeout(30, TimeUnit.SECONDS)
        .maxAckDelay(1, TimeUnit.MILLISECONDS)
        .congestionControlAlgorithm(QuicCongestionControlAlgorithm.BBR)
        .maxRecvUdpPayloadSize(MAX_UDP_PAYLOAD)
        .maxSendUdpPayloadSize(MAX_UDP_PAYLOAD)
        .discoverPmtu(true) // as Runar's, up to the same 16,000 bytes
        .initialMaxData(16 * streamWindow)
        .initialMaxStreamDataBidirectionalLocal(streamWindow)
        .initialMaxStreamDataBidirectionalRemote(streamWindow)
        .initialMaxStreamsBidirectional(4096);
  }

  @Override
  public CompletableFuture<Payload> call(Payload request) {
    if (request.getSerializedSize() <= MAX_LANE_PAYLOAD) {
      long id = ids.incrementAndGet();
      return lanes[(int) (id % LANES)].call(id, request);
    }
    CompletableFuture<Payload> result = new CompletableFuture<>();
    byte[] bytes = request.toByteArray();
    connection
        .createStream(
            QuicStreamType.BIDIRECTIONAL,
            new ChannelInboundHandlerAdapter() {
              private ByteBuf reply = Unpooled.EMPTY_BUFFER;

              @Override
              public void handlerAdded(ChannelHandlerContext ctx) {
                ctx.channel().config().setAllocator(BUFFERS);
              }

              @Override
              public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(
                    new DefaultQuicStreamFrame(
                        Unpooled.wrappedBuffer(new byte[] {SINGLE}, bytes), true));
              }

              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                reply = Unpooled.wrappedBuffer(reply, (ByteBuf) msg);
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                try {
                  result.complete(parse(reply));
                } catch (IOException e) {
                  result.completeExceptionally(e);
                } finally {
                  reply.release();
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

  /** Server side: the stream's first byte says whether it is a lane or a single call. */
  private static final class Dispatch extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      byte kind = in.readByte();
      if (kind == LANE) {
        ctx.pipeline()
            .addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4), new LaneEchoHandler());
      } else {
        ctx.pipeline().addLast(new EchoStream());
      }
      ctx.pipeline().remove(this);
      ctx.pipeline().fireChannelRead(in);
    }
  }

  /** Server side of a lane: echoes each frame (length, id, payload) as it is. */
  private static final class LaneEchoHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }

  /**
   * Client side of a lane: calls are queued from any thread and written once per event-loop turn in
   * one buffer; replies are matched by call id.
   */
  private static final class Lane extends ChannelInboundHandlerAdapter {
    private final QuicStreamChannel stream;
    private final ReadBurst burst;
    private final Map<Long, CompletableFuture<Payload>> pending = new ConcurrentHashMap<>();
    private final Queue<byte[]> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Lane(QuicChannel connection, ReadBurst burst) throws Exception {
      this.burst = burst;
      stream =
          connection
              .createStream(
                  QuicStreamType.BIDIRECTIONAL,
                  new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                      ch.config().setAllocator(BUFFERS);
                      ch.pipeline()
                          .addLast(
                              new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4), Lane.this);
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {LANE})).sync();
    }

    CompletableFuture<Payload> call(long id, Payload request) {
      CompletableFuture<Payload> result = new CompletableFuture<>();
      pending.put(id, result);
      int size = request.getSerializedSize();
      byte[] frame = new byte[12 + size];
      ByteBuffer.wrap(frame).putInt(8 + size).putLong(id);
      try {
        request.writeTo(CodedOutputStream.newInstance(frame, 12, size));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      queue.add(frame);
      if (scheduled.compareAndSet(false, true)) {
        stream.eventLoop().execute(this::drain);
      }
      return result;
    }

    private void drain() {
      scheduled.set(false);
      List<byte[]> frames = new ArrayList<>();
      byte[] f;
      int size = 0;
      while ((f = queue.poll()) != null) {
        frames.add(f);
        size += f.length;
      }
      ByteBuf out = stream.alloc().ioBuffer(size);
      frames.forEach(out::writeBytes);
      stream.writeAndFlush(out, stream.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      try {
        CompletableFuture<Payload> call = pending.remove(frame.readLong());
        Payload reply = parse(frame);
        burst.run(() -> call.complete(reply));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } finally {
        frame.release();
      }
    }
  }

  /**
   * A reply as Runar's transport reads one: copied out of the stream's buffer into an array of its
   * own, then parsed with its bytes fields aliasing that array.
   */
  private static Payload parse(ByteBuf reply) throws IOException {
    CodedInputStream in =
        UnsafeByteOperations.unsafeWrap(ByteBufUtil.getBytes(reply)).newCodedInput();
    in.enableAliasing(true);
    return Payload.parseFrom(in);
  }

  /**
   * As Runar's transport: the replies of one read of the client's socket (a burst of datagrams)
   * complete together when the read ends, before the codec sends. Event loop (one thread).
   */
  private static final class ReadBurst extends ChannelInboundHandlerAdapter {
    private final List<Runnable> waiting = new ArrayList<>();
    private boolean reading;

    void run(Runnable completion) {
      if (reading) {
        waiting.add(completion);
      } else {
        completion.run();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      reading = true;
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      reading = false;
      waiting.forEach(Runnable::run);
      waiting.clear();
      ctx.fireChannelReadComplete();
    }
  }
}
