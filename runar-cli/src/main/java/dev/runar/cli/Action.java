package dev.runar.cli;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.runar.MethodDescriptor.MethodType;
import dev.runar.network.Peers.Peer;
import dev.runar.registry.TopicPath;
import dev.runar.wire.ActionCapability;
import dev.runar.wire.ServiceCapability;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One action some connected node serves, as the nodes advertise it when they connect: its path
 * (without network), the service it belongs to, its call shape, its request and response types, and
 * the nodes serving it. Immutable.
 *
 * @param path {@code servicePath/actionName}, without network
 * @param servicePath the service's path, without network
 */
record Action(
    String path,
    String servicePath,
    String actionName,
    MethodType type,
    String requestType,
    String responseType,
    ImmutableList<String> nodes) {

  /** Every action the connected {@code peers} serve, by path, in the order first seen. */
  static ImmutableMap<String, Action> served(List<Peer> peers) {
    Map<String, Action> actions = new LinkedHashMap<>();
    for (Peer peer : peers) {
      for (ServiceCapability service : peer.info().getServicesList()) {
        String servicePath = withoutNetwork(service.getPath());
        for (ActionCapability a : service.getActionsList()) {
          String path = withoutNetwork(a.getPath());
          Action known = actions.get(path);
          if (known != null) {
            List<String> nodes = new ArrayList<>(known.nodes());
            nodes.add(peer.nodeId());
            actions.put(path, known.servedAlsoBy(nodes));
            continue;
          }
          String actionName =
              path.startsWith(servicePath + "/")
                  ? path.substring(servicePath.length() + 1)
                  : path.substring(path.lastIndexOf('/') + 1);
          actions.put(
              path,
              new Action(
                  path,
                  servicePath,
                  actionName,
                  MethodType.valueOf(a.getType().name()),
                  a.getRequestType(),
                  a.getResponseType(),
                  ImmutableList.of(peer.nodeId())));
        }
      }
    }
    return ImmutableMap.copyOf(actions);
  }

  private Action servedAlsoBy(List<String> allNodes) {
    return new Action(
        path,
        servicePath,
        actionName,
        type,
        requestType,
        responseType,
        ImmutableList.copyOf(allNodes));
  }

  /** {@code path} (as advertised, with its network) without the network. */
  static String withoutNetwork(String path) {
    try {
      return TopicPath.parse(path).actionPath();
    } catch (IllegalArgumentException e) {
      return path;
    }
  }

  /** The call shape as people say it: "unary", "server streaming", ... */
  String shape() {
    return shape(type);
  }

  static String shape(MethodType type) {
    switch (type) {
      case UNARY:
        return "unary";
      case SERVER_STREAMING:
        return "server streaming";
      case CLIENT_STREAMING:
        return "client streaming";
      case BIDI_STREAMING:
        return "bidirectional streaming";
    }
    throw new AssertionError(type);
  }
}
