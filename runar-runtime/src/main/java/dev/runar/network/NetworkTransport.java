package dev.runar.network;

import dev.runar.wire.NodeInfo;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Carries calls and events between nodes. A transport accepts connections from peers and dials
 * them; every connection is authenticated and handshaken (both sides' {@link NodeInfo} exchanged)
 * before any call may use it, and there is at most one connection per pair of nodes. What arrives
 * goes to the {@link InboundHandler} given to {@link #start}.
 *
 * <p>{@link dev.runar.network.quic.QuicTransport} is the implementation.
 *
 * <p><b>Experimental:</b> part of the transport SPI, which may change between minor versions.
 */
public interface NetworkTransport extends AutoCloseable {
  /**
   * Binds and starts accepting connections. A transport serves one node and starts once.
   *
   * @param callbacks where call results complete: the node's callback pool, or, for a node in
   *     direct mode, Guava's {@code MoreExecutors.directExecutor()}, with which results complete on
   *     the transport's I/O threads when the transport sees fit (QuicTransport: at the end of the
   *     read that brought them)
   */
  void start(InboundHandler handler, Executor callbacks) throws Exception;

  /** The largest payload (request, reply, stream message, event) this transport carries. */
  MessageLimit limit();

  /** The address peers connect to (the bound port when configured with port 0). */
  InetSocketAddress localAddress();

  /**
   * The handshaken connection to the node at {@code address}: an existing one when already
   * connected to it, else a new one. Fails with a {@link dev.runar.StatusException}: UNAVAILABLE
   * when it cannot connect, UNAUTHENTICATED or PERMISSION_DENIED when the peer is refused or
   * refuses.
   */
  CompletableFuture<PeerConnection> connect(InetSocketAddress address);

  /**
   * As {@link #connect(InetSocketAddress)}, but gives up (and stops sending to {@code address})
   * after {@code timeout}: for addresses that nothing vouches for yet, such as those in
   * unauthenticated discovery announcements.
   */
  CompletableFuture<PeerConnection> connect(InetSocketAddress address, Duration timeout);

  /** Connections whose handshake completed and that are not closed. */
  Collection<PeerConnection> connections();

  /** Sends a capability update with {@code info} to every connected peer. */
  void updateLocalInfo(NodeInfo info);

  /**
   * Closes gracefully: says goodbye to every peer, lets calls in flight finish within the grace
   * period, then closes connections and releases threads. Idempotent.
   */
  @Override
  void close();
}
