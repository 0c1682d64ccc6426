package dev.runar.cli;

import com.google.common.collect.ImmutableMap;
import com.google.protobuf.Descriptors.Descriptor;
import dev.runar.MethodDescriptor.MethodType;
import dev.runar.Status;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runar describe PATH}: an action's call shape and its request and response types, read from
 * the descriptors the nodes expose; a service's actions; or a message type.
 */
@Command(
    name = "describe",
    sortOptions = false,
    customSynopsis = "runar describe PATH [NETWORK OPTIONS]",
    description = {
      "Describes what PATH names: an action (greeter/hello, or its proto name"
          + " greeter.Greeter/SayHello) with its call shape, request and response types and a"
          + " command to call it; every action of a service (greeter, or greeter.Greeter); or a"
          + " message type (greeter.HelloRequest).",
      "The types come from the .proto descriptors the nodes expose: no local .proto is needed.",
    })
final class DescribeCommand implements Callable<Integer> {
  private static final String INDENT = "    ";

  @ArgGroup(validate = false, heading = NetworkOptions.HEADING, order = 100)
  NetworkOptions network = new NetworkOptions();

  @Parameters(paramLabel = "PATH", description = "An action, a service or a message type.")
  String name;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Session session = Session.join(network, spec.commandLine().getErr())) {
      session.awaitSettled();
      if (session.connected().isEmpty()) {
        throw CliException.status(
            Status.Code.UNAVAILABLE,
            "no node of network '"
                + session.networkId()
                + "' is connected to describe '"
                + name
                + "'");
      }
      Catalog catalog = session.catalog();
      Optional<Descriptor> message = catalog.message(name);
      if (message.isPresent()) {
        out.print(MessageText.withReferences(message.get(), ""));
        out.flush();
        return 0;
      }
      Optional<String> service =
          name.contains("/") ? Optional.empty() : Targets.servicePath(session, name);
      if (service.isPresent()) {
        ImmutableMap<String, Action> served = Action.served(session.connected());
        List<Action> actions =
            served.values().stream()
                .filter(a -> a.servicePath().equals(service.get()))
                .collect(Collectors.toList());
        out.println("service " + service.get() + " (" + actions.size() + " actions)");
        for (Action action : actions) {
          out.println();
          describe(action, catalog, out);
        }
        out.flush();
        return 0;
      }
      if (!name.contains("/")) {
        throw CliException.status(
            Status.Code.NOT_FOUND,
            "no connected node serves a service '"
                + name
                + "', and no node describes a message type of that name (`runar services`"
                + " lists the services)");
      }
      describe(Targets.action(session, name), catalog, out);
      out.flush();
    }
    return 0;
  }

  private static void describe(Action action, Catalog catalog, PrintWriter out) {
    out.println(action.path() + "  (" + action.shape() + ")");
    Optional<Catalog.ProtoMethod> proto = catalog.methodAt(action.path());
    proto.ifPresent(
        m ->
            out.println(
                "  rpc "
                    + m.method().getName()
                    + "("
                    + (m.method().isClientStreaming() ? "stream " : "")
                    + m.method().getInputType().getFullName()
                    + ") returns ("
                    + (m.method().isServerStreaming() ? "stream " : "")
                    + m.method().getOutputType().getFullName()
                    + ") in service "
                    + m.service().getFullName()));
    out.println("  served by: " + String.join(", ", action.nodes()));
    Optional<Descriptor> request = catalog.message(action.requestType());
    Optional<Descriptor> response = catalog.message(action.responseType());
    out.println("  request:  " + action.requestType());
    request.ifPresent(r -> out.print(MessageText.withReferences(r, INDENT)));
    out.println("  response: " + action.responseType());
    response.ifPresent(r -> out.print(MessageText.withReferences(r, INDENT)));
    if (request.isEmpty() || response.isEmpty()) {
      out.println(
          "  (no node describes these types: it was built without proto descriptors, so the"
              + " command cannot call it with JSON)");
      return;
    }
    String json = Json.template(request.get());
    out.println("  call:     " + callExample(action, json));
  }

  private static String callExample(Action action, String json) {
    String quoted = "'" + json + "'";
    if (action.type() == MethodType.UNARY) {
      return "runar call " + action.path() + " " + quoted;
    }
    if (action.type() == MethodType.SERVER_STREAMING) {
      return "runar call " + action.path() + " " + quoted + "   (one JSON reply per line)";
    }
    return "echo "
        + quoted
        + " | runar call "
        + action.path()
        + "   (one JSON request per line on standard input"
        + (action.type() == MethodType.BIDI_STREAMING ? ", one JSON reply per line)" : ")");
  }
}
