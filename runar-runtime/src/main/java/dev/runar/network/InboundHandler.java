package dev.runar.network;

import dev.runar.wire.Event;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The node's side of a transport: what it tells peers about itself, and what it does with what they
 * send. Transports call these methods on their I/O threads: implementations hand any real work to
 * another executor and return at once.
 *
 * <p><b>Experimental:</b> part of the transport SPI, which may change between minor versions.
 */
public interface InboundHandler {
  /** This node's current info, sent in handshakes. */
  NodeInfo localInfo();

  /**
   * Why a peer advertising {@code info} (in its Hello or a capability update) is invalid and must
   * be refused (the transport refuses it with INVALID_ARGUMENT and this description), on top of the
   * transport's own checks (network, version, identity); empty when it is acceptable.
   */
  default Optional<String> refusal(NodeInfo info) {
    return Optional.empty();
  }

  /**
   * Serves a peer's request. The transport cancels the returned future when the caller cancels or
   * the connection is lost; the future's reply is sent back to the caller, or its failure's status
   * (a {@link dev.runar.StatusException}'s, else INTERNAL).
   */
  CompletableFuture<Reply> onRequest(PeerConnection from, Request request);

  /**
   * Serves a peer's streaming call: {@code stream}'s inbound carries the requests; subscribe its
   * outbound to the responses (or fail it with a status).
   */
  void onStream(PeerConnection from, Request header, CallStream stream);

  /** Delivers a peer's event to local subscribers. */
  void onEvent(PeerConnection from, Event event);

  /**
   * Calls to {@code connection}'s peer use it from now on: the peer's first connection, or one that
   * replaces the connection used so far (a duplicate, a peer's restart), with no {@link
   * #onDisconnected} between them.
   */
  default void onConnected(PeerConnection connection) {}

  /**
   * The peer sent a capability update on the connection calls use; {@code connection.peerInfo()} is
   * the new info.
   */
  default void onPeerUpdated(PeerConnection connection) {}

  /**
   * The connection calls to its peer used closed and no other replaces it; {@code reason} says why,
   * for the log.
   */
  default void onDisconnected(PeerConnection connection, String reason) {}
}
