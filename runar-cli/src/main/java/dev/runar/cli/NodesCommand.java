package dev.runar.cli;

import dev.runar.CallOptions;
import dev.runar.MethodDescriptor;
import dev.runar.Node;
import dev.runar.network.Peers.Peer;
import dev.runar.network.Peers.PeerState;
import dev.runar.registry.proto.ListServicesRequest;
import dev.runar.registry.proto.ListServicesResponse;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code runar nodes}: every node found, with its state, addresses, round trip and services. */
@Command(
    name = "nodes",
    sortOptions = false,
    customSynopsis = "runar nodes [--json] [NETWORK OPTIONS]",
    description = {
      "Lists the nodes found on the network: id, state, addresses, round-trip time and number of"
          + " services.",
      "RTT is the best of five round trips of a small $registry request to that node (connected"
          + " nodes only).",
    })
final class NodesCommand implements Callable<Integer> {
  private static final int RTT_SAMPLES = 5;

  /** A small request every node answers itself: what the round trip is timed with. */
  private static final MethodDescriptor<ListServicesRequest, ListServicesResponse> LIST =
      MethodDescriptor.unary(
          "$registry",
          "services/list",
          ListServicesRequest.getDefaultInstance(),
          ListServicesResponse.getDefaultInstance());

  @ArgGroup(validate = false, heading = NetworkOptions.HEADING, order = 100)
  NetworkOptions network = new NetworkOptions();

  @Option(names = "--json", description = "One JSON object per node and line, for scripts.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Session session = Session.join(network, spec.commandLine().getErr())) {
      session.awaitSettled();
      Table table = new Table("NODE", "STATE", "RTT", "SERVICES", "ADDRESSES");
      for (Peer peer : session.node().peers().all()) {
        Optional<Duration> rtt =
            peer.state() == PeerState.CONNECTED ? rtt(session.node(), peer) : Optional.empty();
        int services = peer.info() != null ? peer.info().getServicesCount() : 0;
        List<String> addresses = addresses(peer);
        if (json) {
          JsonLine o =
              new JsonLine().string("node", peer.nodeId()).string("state", peer.state().name());
          rtt.ifPresent(d -> o.number("rttMillis", d.toNanos() / 1e6));
          out.println(o.number("services", services).strings("addresses", addresses));
        } else {
          table.row(
              peer.nodeId(),
              peer.state().name(),
              rtt.map(NodesCommand::millis).orElse("-"),
              peer.state() == PeerState.CONNECTED ? String.valueOf(services) : "-",
              String.join(", ", addresses));
        }
      }
      if (!json) {
        table.print(out);
      }
      out.flush();
    }
    return 0;
  }

  private static List<String> addresses(Peer peer) {
    if (peer.info() != null && peer.info().getListenAddressesCount() > 0) {
      return peer.info().getListenAddressesList();
    }
    return peer.addresses().stream()
        .map(a -> a.getHostString() + ":" + a.getPort())
        .collect(Collectors.toList());
  }

  /**
   * The best of a few round trips of a small {@code $registry} request to {@code peer} alone: the
   * network's round trip plus both nodes' handling (the first samples also warm this short-lived
   * JVM up).
   */
  private static Optional<Duration> rtt(Node node, Peer peer) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < RTT_SAMPLES; i++) {
      long start = System.nanoTime();
      try {
        node.callPeer(
                peer.nodeId(),
                LIST,
                ListServicesRequest.getDefaultInstance(),
                CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)))
            .get(3, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      } catch (Exception e) {
        return Optional.empty();
      }
      best = Math.min(best, System.nanoTime() - start);
    }
    return Optional.of(Duration.ofNanos(best));
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.2f ms", d.toNanos() / 1e6);
  }
}
