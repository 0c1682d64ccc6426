package dev.runar.network.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
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
 * The UDP sockets QUIC runs on. On Linux, Netty's native epoll transport: it sends a batch of
 * packets with one {@code sendmmsg}, receives a batch with one {@code recvmmsg}, and hands the
 * packets of one flush to the kernel as one segmented datagram (UDP GSO). Per packet, those system
 * calls are most of QUIC's cost on a fast network. Elsewhere, or when {@link
 * QuicTransportConfig.Builder#nativeTransport} is off, NIO: one system call per packet.
 */
final class DatagramIo {
  /** The largest UDP payload this node sends or accepts: an Ethernet MTU's worth. */
  static final int MAX_UDP_PAYLOAD = 1472;

  private static final int MAX_SEGMENTS = 16;

  private final boolean isNative;
  private final SegmentedDatagramPacketAllocator segments;

  private DatagramIo(boolean isNative) {
    this.isNative = isNative;
    this.segments =
        isNative
            ? EpollQuicUtils.newSegmentedAllocator(MAX_SEGMENTS)
            : SegmentedDatagramPacketAllocator.NONE;
  }

  /** Native epoll when wanted and it loads, NIO otherwise. */
  static DatagramIo choose(boolean preferNative) {
    return new DatagramIo(preferNative && Epoll.isAvailable());
  }

  boolean isNative() {
    return isNative;
  }

  IoHandlerFactory ioHandlerFactory() {
    return isNative ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** How QUIC connections hand a flush of packets to the socket. */
  SegmentedDatagramPacketAllocator segments() {
    return segments;
  }

  /** A bootstrap for one UDP socket on {@code group} (made with {@link #ioHandlerFactory()}). */
  Bootstrap bootstrap(EventLoopGroup group) {
    Class<? extends DatagramChannel> type =
        isNative ? EpollDatagramChannel.class : NioDatagramChannel.class;
    Bootstrap bootstrap = new Bootstrap().group(group).channel(type);
    if (isNative) {
      // Receive with recvmmsg, a batch of datagrams per system call.
      bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_PAYLOAD);
    }
    return bootstrap;
  }
}
