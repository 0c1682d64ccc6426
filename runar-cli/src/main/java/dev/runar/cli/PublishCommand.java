package dev.runar.cli;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import dev.runar.Status;
import dev.runar.StatusException;
import dev.runar.network.Peers.Peer;
import dev.runar.registry.TopicPath;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code runar publish TOPIC JSON}: publishes one event to the nodes subscribed to TOPIC. */
@Command(
    name = "publish",
    sortOptions = false,
    customSynopsis = "runar publish TOPIC [JSON] [--type MESSAGE] [NETWORK OPTIONS]",
    description = {
      "Publishes one event on TOPIC, its payload given as JSON, to every connected node that"
          + " subscribes to a matching pattern.",
      "The payload's type is the message whose (runar.event).topic is TOPIC in the .proto files"
          + " the nodes describe, or the one --type names.",
    })
final class PublishCommand implements Callable<Integer> {
  @ArgGroup(validate = false, heading = NetworkOptions.HEADING, order = 100)
  NetworkOptions network = new NetworkOptions();

  @Parameters(index = "0", paramLabel = "TOPIC", description = "A topic, e.g. sensors/temperature.")
  String topic;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "JSON",
      description = "The payload as JSON (default: {}).")
  String payload;

  @Option(
      names = "--type",
      paramLabel = "MESSAGE",
      description = "The payload's message type, e.g. sensors.TemperatureReading.")
  String typeName;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try (Session session = Session.join(network, err)) {
      TopicPath path = topicPath(session);
      session.awaitUntil(peers -> !subscribers(session, path).isEmpty() || session.settled(peers));
      Catalog catalog = session.catalog();
      Descriptor type = type(catalog, path);
      DynamicMessage message =
          new Json(catalog, false).parse(payload == null ? "{}" : payload, type, "the payload");
      List<String> subscribers = subscribers(session, path);
      try {
        session.node().publish(path.toString(), message);
      } catch (StatusException e) {
        throw CliException.status(e.status());
      }
      err.println(
          subscribers.isEmpty()
              ? "runar: published a "
                  + type.getFullName()
                  + " on "
                  + path.actionPath()
                  + ", but no connected node subscribes to it: nobody received it"
              : "runar: published a "
                  + type.getFullName()
                  + " on "
                  + path.actionPath()
                  + " to "
                  + String.join(", ", subscribers));
      err.flush();
    }
    return 0;
  }

  private TopicPath topicPath(Session session) {
    TopicPath path;
    try {
      path = TopicPath.parse(Targets.path(session, topic), session.networkId());
    } catch (IllegalArgumentException e) {
      throw CliException.status(Status.Code.INVALID_ARGUMENT, e.getMessage());
    }
    if (path.isPattern()) {
      throw CliException.status(
          Status.Code.INVALID_ARGUMENT,
          "'" + topic + "' is a pattern: events are published on one concrete topic");
    }
    return path;
  }

  /** The connected nodes with a subscription matching {@code topic}. */
  private static List<String> subscribers(Session session, TopicPath topic) {
    return session.connected().stream()
        .filter(p -> subscribes(p, topic))
        .map(Peer::nodeId)
        .collect(Collectors.toList());
  }

  private static boolean subscribes(Peer peer, TopicPath topic) {
    for (String pattern : peer.info().getSubscriptionsList()) {
      try {
        if (TopicPath.parse(pattern).match(topic).isPresent()) {
          return true;
        }
      } catch (IllegalArgumentException e) {
        // a node's malformed pattern matches nothing
      }
    }
    return false;
  }

  private Descriptor type(Catalog catalog, TopicPath path) {
    if (typeName != null) {
      return catalog
          .message(typeName)
          .orElseThrow(
              () ->
                  CliException.status(
                      Status.Code.NOT_FOUND,
                      "no connected node describes a message type "
                          + typeName
                          + " (describe a service's types with `runar describe SERVICE`)"));
    }
    ImmutableList<Descriptor> candidates = catalog.eventTypes(path.actionPath());
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    throw CliException.cannotRun(
        candidates.isEmpty()
            ? "cannot tell the payload's type: no .proto the nodes describe declares an event"
                + " with (runar.event).topic = \""
                + path.actionPath()
                + "\". Name it with --type, e.g. --type sensors.TemperatureReading"
            : "several event types declare topic "
                + path.actionPath()
                + ": "
                + candidates.stream().map(Descriptor::getFullName).collect(Collectors.joining(", "))
                + ". Choose one with --type");
  }
}
