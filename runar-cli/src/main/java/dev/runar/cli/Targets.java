package dev.runar.cli;

import com.google.common.collect.ImmutableMap;
import dev.runar.Status;
import dev.runar.registry.TopicPath;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds what a user names on the command line: an action by its Runar path ({@code greeter/hello})
 * or its proto name ({@code greeter.Greeter/SayHello}), waiting within {@code --wait} for a node
 * that serves it to connect.
 */
final class Targets {
  private Targets() {}

  /**
   * The action at {@code name}, once a node serving it is connected or the network has settled.
   *
   * @throws CliException NOT_FOUND, listing what is there, when no connected node serves it
   */
  static Action action(Session session, String name) {
    String path = path(session, name);
    session.awaitUntil(
        peers -> Action.served(session.connected()).containsKey(path) || session.settled(peers));
    ImmutableMap<String, Action> served = Action.served(session.connected());
    Action action = served.get(path);
    if (action == null && name.contains(".")) {
      action = session.catalog().methodNamed(name).map(m -> served.get(m.runarPath())).orElse(null);
    }
    if (action == null) {
      throw notFound(session, name, served);
    }
    return action;
  }

  /** {@code name} as a path without network, in the session's network. */
  static String path(Session session, String name) {
    TopicPath parsed;
    try {
      parsed = TopicPath.parse(name, session.networkId());
    } catch (IllegalArgumentException e) {
      throw CliException.status(
          Status.Code.INVALID_ARGUMENT, "'" + name + "' is not a path: " + e.getMessage());
    }
    if (!parsed.network().equals(session.networkId())) {
      throw CliException.status(
          Status.Code.INVALID_ARGUMENT,
          "'"
              + name
              + "' is on network '"
              + parsed.network()
              + "' but this command joined '"
              + session.networkId()
              + "': use --network "
              + parsed.network());
    }
    return parsed.actionPath();
  }

  private static CliException notFound(
      Session session, String name, ImmutableMap<String, Action> served) {
    if (session.connected().isEmpty()) {
      return CliException.status(
          Status.Code.UNAVAILABLE,
          "no node of network '"
              + session.networkId()
              + "' is connected, so nothing serves '"
              + name
              + "'");
    }
    String service = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : name;
    List<String> sameService =
        served.values().stream()
            .filter(a -> a.servicePath().equals(service))
            .map(Action::path)
            .collect(Collectors.toList());
    String hint =
        sameService.isEmpty()
            ? "`runar services` lists what the network serves"
            : "service " + service + " has: " + String.join(", ", sameService);
    return CliException.status(
        Status.Code.NOT_FOUND,
        "no node of network '" + session.networkId() + "' serves '" + name + "' (" + hint + ")");
  }

  /** The first action of the service at {@code name}, by path or proto name, if one is served. */
  static Optional<String> servicePath(Session session, String name) {
    ImmutableMap<String, Action> served = Action.served(session.connected());
    if (served.values().stream().anyMatch(a -> a.servicePath().equals(name))) {
      return Optional.of(name);
    }
    return session.catalog().methods().stream()
        .filter(m -> m.service().getFullName().equals(name))
        .map(m -> m.runarPath().substring(0, m.runarPath().length() - actionLength(m)))
        .findFirst();
  }

  private static int actionLength(Catalog.ProtoMethod m) {
    return Catalog.actionName(m.method()).length() + 1;
  }
}
