package dev.runar;

import com.google.common.collect.ImmutableList;
import dev.runar.network.PeerConnection;
import dev.runar.registry.TopicPath;
import dev.runar.wire.ActionCapability;
import dev.runar.wire.ServiceCapability;

/**
 * A service hosted by a peer, as this node sees it: a proxy whose actions are routed over the
 * connection to that peer. Built from the peer's advertised capabilities.
 */
final class RemoteService {
  private final PeerConnection connection;
  private final ServiceCapability capability;
  private final ImmutableList<Action> actions;

  RemoteService(PeerConnection connection, ServiceCapability capability) {
    this.connection = connection;
    this.capability = capability;
    ImmutableList.Builder<Action> b = ImmutableList.builder();
    for (ActionCapability action : capability.getActionsList()) {
      b.add(new Action(this, TopicPath.parse(action.getPath()), action));
    }
    this.actions = b.build();
  }

  PeerConnection connection() {
    return connection;
  }

  String peerId() {
    return connection.peerId();
  }

  ServiceCapability capability() {
    return capability;
  }

  ImmutableList<Action> actions() {
    return actions;
  }

  /** One action of a remote service. */
  record Action(RemoteService service, TopicPath path, ActionCapability capability) {}
}
