package dev.runar.network.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
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
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;

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
  /** An Ethernet MTU (1,500) less the IPv4 and UDP headers: the size when no MTU is known. */
  static final int ETHERNET_UDP_PAYLOAD = 1472;

  /**
   * The size on loopback (MTU 64 KiB), and the largest derived from an interface's MTU: large
   * enough that a 10 KiB message is one packet, small enough for four GSO segments per send.
   * Measured in runar-benchmarks (see docs/performance.md).
   */
  static final int LOOPBACK_UDP_PAYLOAD = 16_000;

  /**
   * The largest size path MTU discovery probes for. quiche (as Netty 4.2.18 bundles it) never sent
   * a larger probe: with 20,000 to 65,507 bytes configured, a loopback connection stayed at 1,200
   * bytes for good. A larger configured size is used as it is, without probing.
   */
  static final int LARGEST_PROBED = 16_000;

  /** QUIC's smallest datagram (RFC 9000, 14.1): every path must carry it. */
  static final int MIN_UDP_PAYLOAD = 1200;

  /** The largest UDP payload of an IPv4 datagram. */
  static final int MAX_UDP_PAYLOAD = 65_507;

  private static final int ETHERNET_MTU = 1500;
  private static final int IPV4_UDP_HEADERS = 20 + 8;
  private static final int IPV6_UDP_HEADERS = 40 + 8;

  /** Linux's {@code setsockopt} for path MTU discovery: level {@code IPPROTO_IP}, and _IPV6. */
  static final IntegerUnixChannelOption IP_MTU_DISCOVER =
      new IntegerUnixChannelOption("IP_MTU_DISCOVER", 0, 10);

  private static final IntegerUnixChannelOption IPV6_MTU_DISCOVER =
      new IntegerUnixChannelOption("IPV6_MTU_DISCOVER", 41, 23);

  /** {@code IP_PMTUDISC_PROBE} and {@code IPV6_PMTUDISC_PROBE}: DF set, never fragment locally. */
  static final int PMTUDISC_PROBE = 3;

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
    return new DatagramIo(usesNative(preferNative), payload);
  }

  /** Whether sockets that prefer the native transport get it: it loads on Linux only. */
  private static boolean usesNative(boolean preferNative) {
    return preferNative && Epoll.isAvailable();
  }

  /**
   * The largest UDP payload for sockets bound to {@code bind}, from the MTU of its interface (for
   * the wildcard address, the largest MTU of the interfaces that are up, loopback aside); 1,472
   * when no MTU is known. {@code preferNative}: whether the sockets will use Linux's native
   * transport when it loads (see {@link #choose}).
   *
   * <p>Sockets that cannot set the don't-fragment bit (NIO, see {@link #neverFragment}) get at most
   * an Ethernet MTU's payload off loopback, even on an interface with jumbo frames: such an
   * interface often sits on a network whose paths out carry 1,500 bytes, and the kernel would send
   * a jumbo probe across one in fragments, which succeed.
   */
  static int payloadFor(InetAddress bind, boolean preferNative) {
    boolean ipv6 = bind instanceof Inet6Address;
    boolean neverFragments = usesNative(preferNative); // see neverFragment
    try {
      if (bind.isAnyLocalAddress()) {
        int largest = 0;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          if (nic.isUp() && !nic.isLoopback()) {
            largest = Math.max(largest, nic.getMTU());
          }
        }
        return largest > 0 ? payloadForMtu(largest, ipv6, neverFragments) : ETHERNET_UDP_PAYLOAD;
      }
      NetworkInterface nic = NetworkInterface.getByInetAddress(bind);
      return nic != null && nic.getMTU() > 0
          ? payloadForMtu(nic.getMTU(), ipv6, neverFragments || nic.isLoopback())
          : ETHERNET_UDP_PAYLOAD;
    } catch (SocketException e) {
      return ETHERNET_UDP_PAYLOAD;
    }
  }

  /**
   * The UDP payload an interface of {@code mtu} bytes carries, less the IP and UDP headers, at
   * least QUIC's minimum and at most {@link #LOOPBACK_UDP_PAYLOAD}; {@code wholeMtu}: false for an
   * interface other than loopback whose sockets may fragment, which gets at most an Ethernet MTU's
   * payload (see {@link #payloadFor}).
   */
  static int payloadForMtu(int mtu, boolean ipv6, boolean wholeMtu) {
    int usable = wholeMtu ? mtu : Math.min(mtu, ETHERNET_MTU);
    int payload = usable - (ipv6 ? IPV6_UDP_HEADERS : IPV4_UDP_HEADERS);
    return Math.max(MIN_UDP_PAYLOAD, Math.min(LOOPBACK_UDP_PAYLOAD, payload));
  }

  /**
   * Whether connections discover their path's MTU: start at QUIC's 1,200 bytes and send larger
   * datagrams, up to {@link #payload()}, once a probe of that size was acknowledged. A path that
   * silently drops larger datagrams (a tunnel, a router whose "too big" messages are filtered) then
   * costs lost probes, not lost calls.
   */
  boolean discoversPmtu() {
    return payload <= LARGEST_PROBED;
  }

  /**
   * Sets the don't-fragment bit on every datagram {@code socket} sends and keeps the kernel from
   * fragmenting them (Linux's {@code IP_PMTUDISC_PROBE}, for IPv4 and IPv6): QUIC's datagrams must
   * not be fragmented (RFC 9000, 14), and path MTU discovery must see a probe larger than the path
   * lost, not delivered in fragments. The kernel's own path MTU, learned from "too big" messages
   * anyone may forge, is ignored; a datagram larger than its interface's MTU fails to send, as a
   * lost probe. A socket of one family refuses the other family's option: ignored.
   */
  private static void neverFragment(Channel socket) {
    for (IntegerUnixChannelOption option : List.of(IP_MTU_DISCOVER, IPV6_MTU_DISCOVER)) {
      try {
        socket.config().setOption(option, PMTUDISC_PROBE);
      } catch (ChannelException e) {
        // IPv6 on an IPv4 socket (IPv6 off), or the reverse
      }
    }
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
                    if (isNative) {
                      neverFragment(channel);
                    }
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
