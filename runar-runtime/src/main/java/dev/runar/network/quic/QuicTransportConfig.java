package dev.runar.network.quic;

import static com.google.common.base.Preconditions.checkArgument;

import dev.runar.security.Security;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link QuicTransport}. Immutable. Every setting has a default except the security
 * mode, which must be chosen, as grpc-java makes plaintext an explicit {@code usePlaintext()}:
 * {@code QuicTransportConfig.builder().security(Security.networkCa(credentials)).build()} for
 * production, {@code .security(Security.development())} to opt into encrypted but unauthenticated
 * connections. It listens on an ephemeral port of 127.0.0.1 unless told otherwise.
 */
public final class QuicTransportConfig {
  /** The ALPN protocol id of Runar's wire protocol, version 1. */
  public static final String ALPN = "runar/2";

  private final InetSocketAddress bindAddress;
  private final Security security;
  private final int maxMessageSize;
  private final Duration idleTimeout;
  private final Duration keepAliveInterval;
  private final Duration livenessTimeout;
  private final Duration firstFrameTimeout;
  private final long maxBufferedBytesPerConnection;
  private final Duration handshakeTimeout;
  private final Duration shutdownGracePeriod;
  private final int ioThreads;
  private final boolean nativeTransport;
  private final int maxUdpPayloadSize;

  private QuicTransportConfig(Builder b) {
    this.bindAddress = b.bindAddress;
    this.security = b.security;
    this.maxMessageSize = b.maxMessageSize;
    this.idleTimeout = b.idleTimeout;
    this.keepAliveInterval = b.keepAliveInterval;
    this.livenessTimeout = b.livenessTimeout;
    this.firstFrameTimeout = b.firstFrameTimeout;
    this.maxBufferedBytesPerConnection = b.maxBufferedBytesPerConnection;
    checkArgument(
        livenessTimeout.compareTo(keepAliveInterval) > 0,
        "livenessTimeout (%s) must be longer than keepAliveInterval (%s)",
        livenessTimeout,
        keepAliveInterval);
    this.handshakeTimeout = b.handshakeTimeout;
    this.shutdownGracePeriod = b.shutdownGracePeriod;
    this.ioThreads = b.ioThreads;
    this.nativeTransport = b.nativeTransport;
    this.maxUdpPayloadSize = b.maxUdpPayloadSize;
  }

  public static Builder builder() {
    return new Builder();
  }

  public InetSocketAddress bindAddress() {
    return bindAddress;
  }

  public Security security() {
    return security;
  }

  /** The largest request or reply payload, in bytes. */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  public Duration keepAliveInterval() {
    return keepAliveInterval;
  }

  /** How long a peer may stay silent before it is declared dead. */
  public Duration livenessTimeout() {
    return livenessTimeout;
  }

  /** How long a stream the peer opened may take to deliver its first complete frame. */
  public Duration firstFrameTimeout() {
    return firstFrameTimeout;
  }

  /** The most bytes of not yet complete frames one connection may hold, over all its streams. */
  public long maxBufferedBytesPerConnection() {
    return maxBufferedBytesPerConnection;
  }

  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  public Duration shutdownGracePeriod() {
    return shutdownGracePeriod;
  }

  public int ioThreads() {
    return ioThreads;
  }

  public boolean nativeTransport() {
    return nativeTransport;
  }

  /**
   * The largest UDP payload this node sends and accepts: the configured one, or else derived from
   * the bind address (see {@link Builder#maxUdpPayloadSize}).
   */
  public int maxUdpPayloadSize() {
    if (maxUdpPayloadSize > 0) {
      return maxUdpPayloadSize;
    }
    return DatagramIo.payloadFor(bindAddress.getAddress(), nativeTransport);
  }

  /** Builds a {@link QuicTransportConfig}. */
  public static final class Builder {
    private InetSocketAddress bindAddress = new InetSocketAddress("127.0.0.1", 0);
    private Security security;
    private int maxMessageSize = 4 * 1024 * 1024;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration keepAliveInterval = Duration.ofSeconds(1);
    private Duration livenessTimeout = Duration.ofMillis(2500);
    private Duration firstFrameTimeout = Duration.ofSeconds(10);
    private long maxBufferedBytesPerConnection = 64L * 1024 * 1024;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration shutdownGracePeriod = Duration.ofSeconds(5);
    private int ioThreads = 1;
    private boolean nativeTransport = true;
    private int maxUdpPayloadSize;

    private Builder() {}

    /**
     * Where to listen. Default: 127.0.0.1, an ephemeral port; use a routable address between hosts.
     */
    public Builder bindAddress(InetSocketAddress bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    /**
     * How peers are authenticated: {@link Security#networkCa} (mutual TLS against the network's CA,
     * the node id bound to the certificate) or {@link Security#development()} (encrypted, nobody
     * authenticated). No default: {@link #build()} refuses a config without one.
     */
    public Builder security(Security security) {
      this.security = Objects.requireNonNull(security, "security");
      return this;
    }

    /** Default: 4 MiB. A larger request or reply fails its call with RESOURCE_EXHAUSTED. */
    public Builder maxMessageSize(int maxMessageSize) {
      checkArgument(maxMessageSize > 0, "maxMessageSize <= 0");
      this.maxMessageSize = maxMessageSize;
      return this;
    }

    /**
     * QUIC's idle timeout: a connection with no packets at all for this long is closed by QUIC
     * itself. A backstop only: {@link #livenessTimeout} finds dead peers much sooner. Default: 30
     * s.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      checkArgument(!idleTimeout.isNegative() && !idleTimeout.isZero(), "idleTimeout <= 0");
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** How often a connection pings its peer, which answers at once. Default: 1 s. */
    public Builder keepAliveInterval(Duration keepAliveInterval) {
      checkArgument(
          !keepAliveInterval.isNegative() && !keepAliveInterval.isZero(), "keepAlive <= 0");
      this.keepAliveInterval = keepAliveInterval;
      return this;
    }

    /**
     * A peer from which nothing (no ping answer, no reply, no frame at all) arrived for this long
     * is declared dead: its connection is closed, its calls in flight fail with UNAVAILABLE at
     * once, its services leave the routing tables, and the node redials it with backoff. Must be
     * longer than {@link #keepAliveInterval}. Default: 2.5 s, so a crashed peer is found within 3
     * s.
     */
    public Builder livenessTimeout(Duration livenessTimeout) {
      checkArgument(
          !livenessTimeout.isNegative() && !livenessTimeout.isZero(), "livenessTimeout <= 0");
      this.livenessTimeout = livenessTimeout;
      return this;
    }

    /**
     * A stream the peer opens must deliver its first complete frame (a request, or a Hello) within
     * this time, or it is reset: a stream left idle must not hold one of the connection's stream
     * credits forever. Default: 10 s.
     */
    public Builder firstFrameTimeout(Duration firstFrameTimeout) {
      checkArgument(
          !firstFrameTimeout.isNegative() && !firstFrameTimeout.isZero(), "firstFrameTimeout <= 0");
      this.firstFrameTimeout = firstFrameTimeout;
      return this;
    }

    /**
     * The most bytes one connection may hold in frames that have not fully arrived, over all its
     * streams. A frame's whole length is reserved when its header arrives; a frame that does not
     * fit fails its own stream with RESOURCE_EXHAUSTED (the connection and its other calls go on).
     * Default: 64 MiB.
     */
    public Builder maxBufferedBytesPerConnection(long maxBufferedBytesPerConnection) {
      checkArgument(maxBufferedBytesPerConnection > 0, "maxBufferedBytesPerConnection <= 0");
      this.maxBufferedBytesPerConnection = maxBufferedBytesPerConnection;
      return this;
    }

    /** How long a connection may take to connect and handshake. Default: 10 s. */
    public Builder handshakeTimeout(Duration handshakeTimeout) {
      checkArgument(
          !handshakeTimeout.isNegative() && !handshakeTimeout.isZero(), "handshakeTimeout <= 0");
      this.handshakeTimeout = handshakeTimeout;
      return this;
    }

    /** How long a graceful close lets calls in flight finish. Default: 5 s. */
    public Builder shutdownGracePeriod(Duration shutdownGracePeriod) {
      checkArgument(!shutdownGracePeriod.isNegative(), "grace < 0");
      this.shutdownGracePeriod = shutdownGracePeriod;
      return this;
    }

    /** Event-loop threads for I/O. Default: 1. */
    public Builder ioThreads(int ioThreads) {
      checkArgument(ioThreads > 0, "ioThreads <= 0");
      this.ioThreads = ioThreads;
      return this;
    }

    /**
     * Whether to use Linux's native epoll transport for the UDP sockets when it is available
     * (batched and segmented sends, batched receives: fewer system calls per packet). Without it,
     * or on other systems, NIO. Either side talks to the other. Default: true.
     */
    public Builder nativeTransport(boolean nativeTransport) {
      this.nativeTransport = nativeTransport;
      return this;
    }

    /**
     * The largest UDP payload (QUIC packet) this node sends and accepts, 1,200 to 65,507 bytes.
     * Each side tells the other the largest it accepts (QUIC's {@code max_udp_payload_size}) and
     * sends no more than the smaller of the two, and the sockets' receive buffers and segmented
     * sends are sized from this value, so nothing is dropped for its size at either end. Default:
     * derived from the MTU of the bind address's interface (for the wildcard address, the largest
     * MTU of the interfaces that are up), less the IP and UDP headers, at most 16,000 bytes: 16,000
     * on loopback (whose MTU is 64 KiB: fewer, larger packets), 1,472 on Ethernet, 8,972 with jumbo
     * frames, less on an interface with a smaller MTU (a tunnel's, an overlay network's); 1,472
     * when no MTU is known. Without the native transport (whose sockets never fragment), never more
     * than Ethernet's off loopback: on a network known to carry jumbo frames end to end, say so
     * here.
     *
     * <p>Up to 16,000 bytes, each connection discovers its path's MTU (DPLPMTUD, RFC 8899): it
     * starts with 1,200-byte datagrams and sends larger ones once a probe of the larger size was
     * acknowledged, so a narrower path somewhere between the nodes costs lost probes, not calls. A
     * larger size is used as configured, unprobed (quiche sends no larger probe): configure one
     * only for a path known to carry it.
     */
    public Builder maxUdpPayloadSize(int maxUdpPayloadSize) {
      checkArgument(
          maxUdpPayloadSize >= 1200 && maxUdpPayloadSize <= DatagramIo.MAX_UDP_PAYLOAD,
          "maxUdpPayloadSize must be 1200 to 65507");
      this.maxUdpPayloadSize = maxUdpPayloadSize;
      return this;
    }

    /**
     * @throws IllegalStateException when no security mode was chosen
     */
    public QuicTransportConfig build() {
      if (security == null) {
        throw new IllegalStateException(
            "choose a security mode: .security(Security.networkCa(credentials)) for mutual TLS"
                + " against your network's CA, or .security(Security.development()) to opt into"
                + " encrypted but unauthenticated connections (development only)");
      }
      return new QuicTransportConfig(this);
    }
  }
}
