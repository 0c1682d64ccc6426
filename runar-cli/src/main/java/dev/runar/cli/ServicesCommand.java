package dev.runar.cli;

import dev.runar.Status;
import dev.runar.network.Peers.Peer;
import dev.runar.wire.ActionCapability;
import dev.runar.wire.ServiceCapability;
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

/** {@code runar services [NODE]}: the services each connected node hosts, with their actions. */
@Command(
    name = "services",
    sortOptions = false,
    customSynopsis = "runar services [NODE] [--json] [NETWORK OPTIONS]",
    description = {
      "Lists the services the connected nodes host (or NODE hosts), with their actions.",
      "`runar describe SERVICE` shows an action's request and response types.",
    })
final class ServicesCommand implements Callable<Integer> {
  @ArgGroup(validate = false, heading = NetworkOptions.HEADING, order = 100)
  NetworkOptions network = new NetworkOptions();

  @Parameters(
      arity = "0..1",
      paramLabel = "NODE",
      description = "Only this node's services (an id from `runar nodes`).")
  String nodeId;

  @Option(names = "--json", description = "One JSON object per service and line, for scripts.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Session session = Session.join(network, spec.commandLine().getErr())) {
      if (nodeId == null) {
        session.awaitSettled();
      } else {
        session.awaitUntil(
            peers -> session.connected().stream().anyMatch(p -> p.nodeId().equals(nodeId)));
      }
      List<Peer> peers = session.connected();
      if (nodeId != null) {
        peers = peers.stream().filter(p -> p.nodeId().equals(nodeId)).collect(Collectors.toList());
        if (peers.isEmpty()) {
          throw CliException.status(
              Status.Code.NOT_FOUND,
              "no node '"
                  + nodeId
                  + "' is connected on network '"
                  + session.networkId()
                  + "' (connected: "
                  + session.connected().stream().map(Peer::nodeId).collect(Collectors.joining(", "))
                  + ")");
        }
      }
      Table table = new Table("NODE", "SERVICE", "NAME", "VERSION", "ACTIONS");
      for (Peer peer : peers) {
        for (ServiceCapability service : peer.info().getServicesList()) {
          String path = Action.withoutNetwork(service.getPath());
          List<String> actions =
              service.getActionsList().stream()
                  .map(a -> actionName(path, a))
                  .collect(Collectors.toList());
          if (json) {
            out.println(
                new JsonLine()
                    .string("node", peer.nodeId())
                    .string("service", path)
                    .string("name", service.getName())
                    .string("version", service.getVersion())
                    .strings(
                        "actions",
                        service.getActionsList().stream()
                            .map(c -> Action.withoutNetwork(c.getPath()))
                            .collect(Collectors.toList())));
          } else {
            table.row(
                peer.nodeId(),
                path,
                service.getName(),
                service.getVersion(),
                String.join(", ", actions));
          }
        }
      }
      if (!json) {
        table.print(out);
      }
      out.flush();
    }
    return 0;
  }

  private static String actionName(String servicePath, ActionCapability action) {
    String path = Action.withoutNetwork(action.getPath());
    String name =
        path.startsWith(servicePath + "/") ? path.substring(servicePath.length() + 1) : path;
    return action.getType() == dev.runar.wire.MethodType.UNARY
        ? name
        : name
            + " ("
            + Action.shape(dev.runar.MethodDescriptor.MethodType.valueOf(action.getType().name()))
            + ")";
  }
}
