package dev.runar;

import dev.runar.network.CallStream;
import dev.runar.network.InboundHandler;
import dev.runar.network.PeerConnection;
import dev.runar.network.Reply;
import dev.runar.network.WireStatus;
import dev.runar.wire.Event;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import java.util.concurrent.CompletableFuture;

/**
 * A transport's handler for tests that play a peer by hand: advertises {@code info} (which may be
 * malformed on purpose), answers every call UNIMPLEMENTED and ignores streams and events.
 */
record SilentPeer(NodeInfo info) implements InboundHandler {
  @Override
  public NodeInfo localInfo() {
    return info;
  }

  @Override
  public CompletableFuture<Reply> onRequest(PeerConnection from, Request request) {
    return CompletableFuture.completedFuture(Reply.of(WireStatus.toResponse(Status.UNIMPLEMENTED)));
  }

  @Override
  public void onStream(PeerConnection from, Request header, CallStream stream) {}

  @Override
  public void onEvent(PeerConnection from, Event event) {}
}
