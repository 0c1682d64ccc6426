package dev.runar.network.quic;

import com.google.common.collect.ImmutableList;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.runar.Status;
import dev.runar.network.InboundHandler;
import dev.runar.network.MessageLimit;
import dev.runar.network.NetworkTransport;
import dev.runar.network.PeerConnection;
import dev.runar.wire.NodeInfo;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runar's transport over QUIC (Netty's native QUIC codec, TLS 1.3 always).
 *
 * <p>Per connection: one bidirectional <em>control stream</em>, opened by the dialer, carries the
 * handshake (Hello both ways), capability updates, keep-alive pings, events and the goodbye; events
 * share it because one ordered stream keeps a publisher's events in order at each peer and costs no
 * stream set-up per event. Unary calls travel as frames tagged with a call id on two long-lived
 * <em>lanes</em> per direction ({@link CallerLanes}), written in batches once per event-loop turn
 * ({@link WriteQueue}); large requests and streaming calls get streams of their own. Frames are
 * length-prefixed protobuf {@code Frame}s ({@link FrameCodec}); datagrams are as large as the path
 * allows ({@link DatagramIo}). See docs/wire-protocol.md.
 *
 * <p>Calls to a peer use one connection: when both nodes dial at once, the connection dialed by the
 * node with the smaller id survives on both sides and the other is closed ({@link
 * ConnectionsByPeer}).
 *
 * <p>Threading: public methods from any thread. Netty event loops only do I/O and framing; each
 * connection's state is confined to its event loop; call results complete on the callback executor,
 * and the {@link InboundHandler} is expected to hand requests to its own executor.
 */
public final class QuicTransport implements NetworkTransport {
  private static final Logger log = LoggerFactory.getLogger(QuicTransport.class);

  /** Room for the frame's own fields (path, metadata) on top of the payload limit. */
  private static final int FRAME_OVERHEAD = 64 * 1024;

  private final QuicTransportConfig config;
  private final MessageLimit limit;
  private final StreamPipelines pipelines;
  private volatile Executor callbacks;
  private final ConnectionsByPeer connections;

  /**
   * Held while choosing a peer's connection and telling the handler, so that the handler hears the
   * choices in the order they were made, whichever event loops make them.
   */
  private final Object placement = new Object();

  private final RateLimitedLog handshakeFailures =
      new RateLimitedLog(
          log, "connections from {} failed before they were established", Duration.ofSeconds(10));
  private volatile InboundHandler handler;
  private volatile NodeInfo localInfo;
  private TlsContexts tls;
  private DatagramIo io;
  private EventLoopGroup group;
  private Channel server;
  private Channel client;
  private volatile boolean closed;

  public QuicTransport(QuicTransportConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.connections = new ConnectionsByPeer(config.keepAliveInterval());
    this.limit = new MessageLimit(config.maxMessageSize());
    this.pipelines =
        new StreamPipelines(config.maxMessageSize() + FRAME_OVERHEAD, config.firstFrameTimeout());
  }

  @Override
  public synchronized void start(InboundHandler handler, Executor callbacks)
      throws InterruptedException {
    if (group != null || closed) {
      throw new IllegalStateException("a transport starts once");
    }
    this.handler = Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(callbacks, "callbacks");
    // Completions run on the event loop: they run together at the end of each read burst.
    this.callbacks = callbacks == MoreExecutors.directExecutor() ? ReadBursts.EXECUTOR : callbacks;
    this.localInfo = stamp(handler.localInfo());
    this.tls = TlsContexts.create(config.security(), localInfo.getNodeId());
    if (!tls.authenticated) {
      log.warn(
          "node {} uses development security: connections are encrypted but peers are NOT"
              + " authenticated; use Security.networkCa(...) in production",
          localInfo.getNodeId());
    }
    io = DatagramIo.choose(config.nativeTransport(), config.maxUdpPayloadSize());
    group =
        new MultiThreadIoEventLoopGroup(
            config.ioThreads(),
            new ThreadFactoryBuilder().setNameFormat("runar-quic-%d").setDaemon(true).build(),
            io.ioHandlerFactory());
    ChannelHandler serverCodec =
        tune(new QuicServerCodecBuilder().sslContext(tls.server))
            .tokenHandler(new RetryTokens())
            .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, io.segments())
            .handler(connectionInitializer(false, config.handshakeTimeout()))
            .streamHandler(pipelines.inbound())
            .build();
    server = io.bootstrap(group, serverCodec).bind(config.bindAddress()).sync().channel();
    ChannelHandler clientCodec =
        tune(new QuicClientCodecBuilder().sslContext(tls.client))
            .sslEngineProvider(q -> tls.client.newEngine(q.alloc(), TlsContexts.PEER_HOST_NAME, 0))
            .build();
    client =
        io.bootstrap(group, clientCodec)
            .bind(new InetSocketAddress(config.bindAddress().getAddress(), 0))
            .sync()
            .channel();
    log.debug(
        "node {} listening for QUIC on {} ({}, UDP payloads up to {} bytes{}, socket buffers {})",
        localInfo.getNodeId(),
        localAddress(),
        io.isNative() ? "native epoll" : "NIO",
        io.payload(),
        io.discoversPmtu() ? " as the path allows" : ", unprobed",
        server.config().getOption(ChannelOption.SO_RCVBUF));
    if (!DatagramIo.hasFullBuffers(server)) {
      log.info(
          "node {}: the kernel capped the UDP socket buffers below {} bytes; bursts of large"
              + " messages may be dropped and resent (raise net.core.rmem_max and wmem_max)",
          localInfo.getNodeId(),
          DatagramIo.SOCKET_BUFFER);
    }
  }

  /** {@code info} with this transport's message limit, which callers' replies must keep. */
  private NodeInfo stamp(NodeInfo info) {
    return info.toBuilder().setMaxMessageSize(config.maxMessageSize()).build();
  }

  private <B extends QuicCodecBuilder<B>> B tune(B builder) {
    long streamWindow = Math.max(1L << 20, config.maxMessageSize() + FRAME_OVERHEAD);
    return builder
        .maxIdleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .maxAckDelay(1, TimeUnit.MILLISECONDS)
        // BBR paces to the path's measured rate instead of filling the socket buffers until a
        // datagram drops (CUBIC, quiche's default): on loopback a 100-byte call beside a 4 MiB one
        // waited 0.5-0.9 ms instead of 2.2-2.5 ms, at the same throughput (docs/performance.md).
        .congestionControlAlgorithm(QuicCongestionControlAlgorithm.BBR)
        .maxRecvUdpPayloadSize(io.payload())
        .maxSendUdpPayloadSize(io.payload())
        .discoverPmtu(io.discoversPmtu())
        .initialMaxData(16 * streamWindow)
        .initialMaxStreamDataBidirectionalLocal(streamWindow)
        .initialMaxStreamDataBidirectionalRemote(streamWindow)
        .initialMaxStreamsBidirectional(4096)
        .initialMaxStreamsUnidirectional(16);
  }

  /** Whether this transport's sockets use Linux's native transport (see {@link DatagramIo}). */
  boolean isNative() {
    return io.isNative();
  }

  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) server.localAddress();
  }

  @Override
  public CompletableFuture<PeerConnection> connect(InetSocketAddress address) {
    return connect(address, config.handshakeTimeout());
  }

  @Override
  public CompletableFuture<PeerConnection> connect(InetSocketAddress address, Duration timeout) {
    CompletableFuture<PeerConnection> result = new CompletableFuture<>();
    if (closed || client == null) {
      result.completeExceptionally(
          Status.UNAVAILABLE.withDescription("transport is not running").asException());
      return result;
    }
    QuicChannel.newBootstrap(client)
        .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, io.segments())
        .handler(connectionInitializer(true, timeout))
        .streamHandler(pipelines.inbound())
        .remoteAddress(address)
        .connect()
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                result.completeExceptionally(
                    Status.UNAVAILABLE
                        .withDescription(
                            "could not connect to " + address + ": " + f.cause().getMessage())
                        .withCause(f.cause())
                        .asException());
                return;
              }
              QuicConnection connection = ((QuicChannel) f.getNow()).attr(QuicConnection.KEY).get();
              connection.control().startHandshake();
              connection
                  .placed()
                  .whenComplete(
                      (c, e) -> {
                        if (e != null) {
                          result.completeExceptionally(e);
                        } else {
                          result.complete(connections.inUse(c.peerId()).orElse(c));
                        }
                      });
            });
    // The connection closes itself when its handshake takes longer than the timeout (or, once its
    // Hello is sent, the liveness timeout); this bounds the part before the connection exists too.
    return result
        .orTimeout(timeout.plus(config.livenessTimeout()).toNanos(), TimeUnit.NANOSECONDS)
        .exceptionallyCompose(
            e ->
                CompletableFuture.failedFuture(
                    e instanceof TimeoutException
                        ? Status.UNAVAILABLE
                            .withDescription("timed out connecting to " + address)
                            .asException()
                        : e));
  }

  /** Registers each QUIC connection as it is set up, accepted or ({@code dialer}) dialed. */
  private ChannelInitializer<QuicChannel> connectionInitializer(
      boolean dialer, Duration handshakeTimeout) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(QuicChannel channel) {
        channel.config().setAllocator(DatagramIo.BUFFERS);
        QuicConnection connection =
            new QuicConnection(QuicTransport.this, channel, dialer, handshakeTimeout);
        channel.pipeline().addLast(new PeerCloseHandler(connection, handshakeFailures));
        register(connection);
      }
    };
  }

  private void register(QuicConnection connection) {
    connections.track(connection);
    connection
        .handshake()
        .whenComplete(
            (c, e) -> {
              if (e != null) {
                connection.placed().completeExceptionally(e);
                return;
              }
              try {
                onEstablished(c);
              } finally {
                c.placed().complete(c);
              }
            });
  }

  /** Keeps one connection per peer in use, as {@link ConnectionsByPeer} chooses. */
  private void onEstablished(QuicConnection connection) {
    ConnectionsByPeer.Opened opened;
    synchronized (placement) {
      opened = connections.opened(connection);
      // Routes move first: a call that meets the retired connection closing is refused unstarted,
      // and sent again on the one that routes name by then.
      if (opened.inUse()) {
        use(connection);
      }
    }
    opened
        .retired()
        .ifPresent(
            r -> {
              log.debug("closing connection {}: {}", r.connection(), r.why().description());
              if (r.dead()) {
                r.connection().abandon(r.why()); // nobody will answer on it: its calls fail now
              } else {
                r.connection().retireAsDuplicate(r.why()); // a live duplicate: calls finish
              }
            });
  }

  /** Calls to {@code connection}'s peer go to it from now on. */
  private void use(QuicConnection connection) {
    // Capabilities may have changed while this connection was handshaking or standing by: updates
    // sent then went to other connections only.
    NodeInfo current = localInfo;
    if (current.getCapabilityVersion() > connection.control().advertisedVersion()) {
      connection.control().sendCapabilityUpdate(current);
    }
    handler.onConnected(connection);
  }

  void onClosed(QuicConnection connection, Status reason, boolean wasEstablished) {
    connections.untrack(connection);
    if (wasEstablished) {
      onLeaving(connection, reason, true);
    }
  }

  /** Connections this transport tracks, handshaking ones included (for tests of its bounds). */
  int trackedConnections() {
    return connections.all().size();
  }

  /**
   * {@code connection} no longer serves calls (goodbye, closed or replaced): routes move to another
   * open connection to its peer if {@code mayMove} (not when the peer is leaving), or leave the
   * peer.
   */
  void onLeaving(QuicConnection connection, Status reason, boolean mayMove) {
    synchronized (placement) {
      ConnectionsByPeer.Left left = connections.left(connection, mayMove);
      if (left.successor().isPresent()) {
        use(left.successor().get());
      } else if (left.wasInUse()) {
        handler.onDisconnected(
            connection,
            reason.description() != null ? reason.description() : reason.code().toString());
      }
    }
  }

  /** The peer updated its capabilities on {@code connection}: routes follow if calls use it. */
  void onPeerUpdated(QuicConnection connection) {
    synchronized (placement) {
      if (connections.inUse(connection.peerId()).orElse(null) == connection) {
        handler.onPeerUpdated(connection);
      }
    }
  }

  /** Whether {@link #close} began: new peers are refused. */
  boolean isClosing() {
    return closed;
  }

  @Override
  public Collection<PeerConnection> connections() {
    return ImmutableList.copyOf(
        connections.inUse().stream().filter(QuicConnection::isOpen).iterator());
  }

  @Override
  public void updateLocalInfo(NodeInfo info) {
    NodeInfo stamped = stamp(info);
    localInfo = stamped;
    // Standby connections too: the peer may be calling on one of them.
    connections.all().stream()
        .filter(QuicConnection::isOpen)
        .forEach(c -> c.control().sendCapabilityUpdate(stamped));
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed || group == null) {
        closed = true;
        return;
      }
      closed = true;
    }
    List<CompletableFuture<Void>> closing =
        connections.all().stream().map(QuicConnection::close).toList();
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(config.shutdownGracePeriod().toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.debug("connections did not all close in time", e);
    }
    // Either socket is missing when start failed to bind it (the node then closes what it made).
    for (Channel socket : new Channel[] {server, client}) {
      if (socket != null) {
        socket.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
      }
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  // ---- for QuicConnection ----

  QuicTransportConfig config() {
    return config;
  }

  @Override
  public MessageLimit limit() {
    return limit;
  }

  Executor callbacks() {
    return callbacks;
  }

  InboundHandler handler() {
    return handler;
  }

  NodeInfo localInfo() {
    return localInfo;
  }

  boolean authenticated() {
    return tls.authenticated;
  }

  StreamPipelines pipelines() {
    return pipelines;
  }
}
