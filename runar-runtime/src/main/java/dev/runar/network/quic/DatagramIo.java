package dev.runar.network.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;

/**
 * The UDP sockets QUIC runs on, sized for one datagram size. On Linux, Netty's native epoll
 * transport: it sends a batch of packets with one {@code sendmmsg}, receives a batch with one
 * {@code recvmmsg}, and hands the packets of one flush to the kernel as one segmented datagram (UDP
 * GSO). Per packet, those system calls are most of QUIC's cost on a fast network. Elsewhere, or
 * when {@link QuicTransportConfig.Builder#nativeTransport} is off, NIO: one system call per packet.
 *
 * <p>Everything that depends on the datagram size is derived from it here, because a mismatch drops
 * datagrams silently: the receive buffer holds a whole batch of the largest datagrams this node
 * accepts (a datagram larger than its slot is truncated by the kernel and discarded by QUIC), and a
 * GSO send's segments times the payload stay within one UDP datagram's 65,507 bytes.
 *
 * <p>Immutable; any thread.
 */
final class DatagramIo {
  /** An Ethernet MTU (1,500) less the IPv4 and UDP headers: safe on any common path. */
  static final int ETHERNET_UDP_PAYLOAD = 1472;

  /**
   * On loopback (MTU 64 KiB): large enough that a 10 KiB message is one packet, small enough for
   * four GSO segments per send. Measured in runar-benchmarks (see docs/performance.md).
   */
  static final int LOOPBACK_UDP_PAYLOAD = 16_000;

  /** The largest UDP payload of an IPv4 datagram. */
  static final int MAX_UDP_PAYLOAD = 65_507;

  /** Datagrams per receive batch and per segmented send, at most. */
  private static final int MAX_BATCH = 16;

  /** Receive buffers are sized for a batch, but not beyond this (large datagrams: fewer each). */
  private static final int RECEIVE_BUFFER = 256 * 1024;

  /**
   * The kernel's socket buffers, each way. Linux's default (208 KiB) overflows when a congestion
   * window's worth of large datagrams arrives at once, and every datagram it drops is a loss the
   * sender must detect and send again. The kernel caps the size at {@code net.core.rmem_max} /
   * {@code wmem_max}.
   */
  static final int SOCKET_BUFFER = 4 * 1024 * 1024;

  /**
   * The buffers of the sockets, connections and streams: Netty's pooled allocator. Netty 4.2's
   * default (adaptive) allocator pools nothing over 16,896 bytes in a JVM with at most 512 MiB of
   * direct memory (by default, a heap of at most 512 MiB): each such buffer, the batch receive
   * buffer included, was then allocated, zeroed and freed on every read, which cost a call about a
   * fifth of its latency (docs/performance.md).
   */
  static final ByteBufAllocator BUFFERS = PooledByteBufAllocator.DEFAULT;

  private final boolean isNative;
  private final int payload;
  private final SegmentedDatagramPacketAllocator segments;

  private DatagramIo(boolean isNative, int payload) {
    this.isNative = isNative;
    this.payload = payload;
    this.segments =
        isNative
            ? EpollQuicUtils.newSegmentedAllocator(segmentsPerSend(payload))
            : SegmentedDatagramPacketAllocator.NONE;
  }

  /** Native epoll when wanted and it loads, NIO otherwise; datagrams of up to {@code payload}. */
  static DatagramIo choose(boolean preferNative, int payload) {
    return new DatagramIo(preferNative && Epoll.isAvailable(), payload);
  }

  /** How many packets of {@code payload} bytes one segmented (GSO) send may carry. */
  static int segmentsPerSend(int payload) {
    return Math.max(1, Math.min(MAX_BATCH, MAX_UDP_PAYLOAD / payload));
  }

  /** The receive buffer for a batch of datagrams of up to {@code payload} bytes. */
  static int receiveBufferSize(int payload) {
    return payload * Math.max(1, Math.min(MAX_BATCH, RECEIVE_BUFFER / payload));
  }

  /**
   * Whether {@code socket} got the buffers asked for ({@link #SOCKET_BUFFER}); Linux reports twice
   * what it granted, and grants at most {@code net.core.rmem_max}.
   */
  static boolean hasFullBuffers(Channel socket) {
    return socket.config().getOption(ChannelOption.SO_RCVBUF) >= SOCKET_BUFFER
        && socket.config().getOption(ChannelOption.SO_SNDBUF) >= SOCKET_BUFFER;
  }

  boolean isNative() {
    return isNative;
  }

  /** The largest UDP payload these sockets send and accept. */
  int payload() {
    return payload;
  }

  IoHandlerFactory ioHandlerFactory() {
    return isNative ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** How QUIC connections hand a flush of packets to the socket. */
  SegmentedDatagramPacketAllocator segments() {
    return segments;
  }

  /**
   * A bootstrap for one UDP socket on {@code group} (made with {@link #ioHandlerFactory()}) whose
   * packets go to {@code codec}, behind {@link ReadBursts}.
   */
  Bootstrap bootstrap(EventLoopGroup group, ChannelHandler codec) {
    Class<? extends DatagramChannel> type =
        isNative ? EpollDatagramChannel.class : NioDatagramChannel.class;
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(type)
            .option(
                ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(isNative ? receiveBufferSize(payload) : payload))
            .option(ChannelOption.ALLOCATOR, BUFFERS)
            .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel.pipeline().addLast(ReadBursts.HANDLER, codec);
                  }
                });
    if (isNative) {
      // Receive with recvmmsg: the buffer above is split into slots of this size, one per datagram.
      bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, payload);
    }
    return bootstrap;
  }
}
