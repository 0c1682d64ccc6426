package dev.runar.cli;

import dev.runar.NodeConfig;
import dev.runar.discovery.MulticastDiscovery;
import dev.runar.discovery.NodeDiscovery;
import dev.runar.discovery.StaticDiscovery;
import dev.runar.discovery.etcd.EtcdDiscovery;
import dev.runar.discovery.etcd.EtcdDiscoveryConfig;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.NodeCredentials;
import dev.runar.security.Security;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Option;

/**
 * How the command joins a network: the options every command shares (security, network id,
 * discovery, how long to wait for the network). Each has an environment variable as its default, so
 * that a shell can be set up once for a network. An argument group of every command, filled in by
 * picocli; read once, on the command's thread.
 */
final class NetworkOptions {
  /** How help titles these options. */
  static final String HEADING = "%nJoining the network (also from RUNAR_* variables):%n";

  private static final Duration SHORT_GRACE = Duration.ofMillis(300);

  @Option(
      names = {"-n", "--network"},
      paramLabel = "ID",
      defaultValue = "${env:RUNAR_NETWORK:-default}",
      description = "The network id the nodes use (env RUNAR_NETWORK; default: ${DEFAULT-VALUE}).")
  String networkId;

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      defaultValue = "${env:RUNAR_CA}",
      description = "PEM file of the network's CA certificate (env RUNAR_CA).")
  Path ca;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      defaultValue = "${env:RUNAR_CERT}",
      description =
          "PEM file of this command's certificate, signed by the network's CA; its CN is the node"
              + " id the command joins as (env RUNAR_CERT).")
  Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      defaultValue = "${env:RUNAR_KEY}",
      description = "PEM file of the certificate's PKCS#8 private key (env RUNAR_KEY).")
  Path key;

  @Option(
      names = "--dev",
      description =
          "Join a development network instead: encrypted, but nobody is authenticated (its nodes"
              + " run with Security.development()).")
  boolean development;

  @Option(
      names = "--multicast",
      paramLabel = "GROUP:PORT",
      arity = "0..1",
      fallbackValue = MulticastDiscovery.DEFAULT_GROUP + ":" + MulticastDiscovery.DEFAULT_PORT,
      defaultValue = "${env:RUNAR_MULTICAST}",
      description =
          "Find nodes by UDP multicast on GROUP:PORT (env RUNAR_MULTICAST; default when no --seed"
              + " or --etcd is given: "
              + MulticastDiscovery.DEFAULT_GROUP
              + ":"
              + MulticastDiscovery.DEFAULT_PORT
              + ").")
  String multicast;

  @Option(
      names = "--seed",
      paramLabel = "HOST:PORT",
      split = ",",
      defaultValue = "${env:RUNAR_SEEDS}",
      description =
          "Connect to the node listening on HOST:PORT (QUIC); repeat it or separate with commas"
              + " (env RUNAR_SEEDS).")
  List<String> seeds = new ArrayList<>();

  @Option(
      names = "--etcd",
      paramLabel = "URLS",
      defaultValue = "${env:RUNAR_ETCD}",
      description =
          "Find nodes through etcd at these comma-separated endpoints, e.g. http://127.0.0.1:2379"
              + " (env RUNAR_ETCD).")
  String etcd;

  @Option(
      names = "--bind",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:RUNAR_BIND:-127.0.0.1:0}",
      description =
          "Where this command's node listens for QUIC (env RUNAR_BIND; default: ${DEFAULT-VALUE});"
              + " give a routable address to reach nodes on other hosts.")
  String bind;

  @Option(
      names = {"-w", "--wait"},
      paramLabel = "DURATION",
      defaultValue = "3s",
      converter = DurationConverter.class,
      description =
          "How long to wait for nodes to be found and connected (default: ${DEFAULT-VALUE}).")
  Duration wait;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log what the node does (to standard error).")
  boolean verbose;

  /** The node this command runs as: no services of its own, a short goodbye. */
  NodeConfig nodeConfig() {
    Security security = security();
    String nodeId =
        security
            .credentials()
            .map(NodeCredentials::nodeId)
            .orElseGet(() -> "runar-cli-" + UUID.randomUUID().toString().substring(0, 8));
    NodeConfig.Builder config =
        NodeConfig.builder()
            .nodeId(nodeId)
            .shutdownGracePeriod(SHORT_GRACE)
            .maxHandlerThreads(4)
            .transport(
                new QuicTransport(
                    QuicTransportConfig.builder()
                        .security(security)
                        .bindAddress(address(bind, "--bind"))
                        .shutdownGracePeriod(SHORT_GRACE)
                        .build()))
            .discovery(discovery());
    try {
      config.networkId(networkId);
    } catch (IllegalArgumentException e) {
      throw CliException.cannotRun(
          "'" + networkId + "' is not a network id: it must be non-empty, without ':' or '/'.");
    }
    return config.build();
  }

  /** How nodes are found, for people: "multicast 239.255.42.98:45678", "seeds a:1, b:2", ... */
  String discoveryDescription() {
    List<String> ways = new ArrayList<>();
    if (multicastGroup() != null) {
      ways.add("multicast " + multicastGroup());
    }
    if (!seeds().isEmpty()) {
      ways.add("seeds " + String.join(", ", seeds()));
    }
    if (etcd != null && !etcd.isBlank()) {
      ways.add("etcd " + etcd);
    }
    return String.join(" + ", ways);
  }

  private List<String> seeds() {
    return seeds == null ? List.of() : seeds;
  }

  private String multicastGroup() {
    if (multicast != null && !multicast.isBlank()) {
      return multicast;
    }
    boolean other = !seeds().isEmpty() || (etcd != null && !etcd.isBlank());
    return other ? null : MulticastDiscovery.DEFAULT_GROUP + ":" + MulticastDiscovery.DEFAULT_PORT;
  }

  private Security security() {
    boolean anyCredential = ca != null || cert != null || key != null;
    if (development) {
      if (anyCredential) {
        throw CliException.cannotRun(
            "--dev joins a development network, where nobody has certificates: drop --dev, or"
                + " --ca, --cert and --key.");
      }
      return Security.development();
    }
    if (ca == null || cert == null || key == null) {
      throw CliException.cannotRun(
          "Runar nodes authenticate each other. Give this command the network's CA certificate"
              + " and a certificate and key it signed: --ca ca.crt --cert me.crt --key me.key"
              + " (or RUNAR_CA, RUNAR_CERT, RUNAR_KEY). For a development network (nodes started"
              + " with Security.development()), use --dev."
              + (anyCredential ? " Missing: " + missing() + "." : ""));
    }
    for (Path file : List.of(ca, cert, key)) {
      if (!Files.isReadable(file)) {
        throw CliException.cannotRun("cannot read " + file + ": no such file, or not readable");
      }
    }
    try {
      return Security.networkCa(NodeCredentials.fromPem(cert, key, ca));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw CliException.cannotRun(
          "cannot load the certificate "
              + cert
              + ", key "
              + key
              + " and CA "
              + ca
              + ": "
              + e.getMessage());
    }
  }

  private String missing() {
    List<String> missing = new ArrayList<>();
    if (ca == null) {
      missing.add("--ca");
    }
    if (cert == null) {
      missing.add("--cert");
    }
    if (key == null) {
      missing.add("--key");
    }
    return String.join(", ", missing);
  }

  private NodeDiscovery discovery() {
    List<NodeDiscovery> all = new ArrayList<>();
    String group = multicastGroup();
    if (group != null) {
      InetSocketAddress g = address(group, "--multicast");
      if (!g.getAddress().isMulticastAddress()) {
        throw CliException.cannotRun(
            "--multicast " + group + ": " + g.getHostString() + " is not a multicast group");
      }
      all.add(
          MulticastDiscovery.create(
              MulticastDiscovery.Config.builder()
                  .group(g.getHostString())
                  .port(g.getPort())
                  .build()));
    }
    if (!seeds().isEmpty()) {
      List<InetSocketAddress> addresses = new ArrayList<>();
      seeds().forEach(s -> addresses.add(address(s, "--seed")));
      all.add(StaticDiscovery.of(addresses));
    }
    if (etcd != null && !etcd.isBlank()) {
      try {
        all.add(EtcdDiscovery.create(EtcdDiscoveryConfig.builder().endpointList(etcd).build()));
      } catch (IllegalArgumentException e) {
        throw CliException.cannotRun("--etcd " + etcd + ": " + e.getMessage());
      }
    }
    return all.size() == 1
        ? all.get(0)
        : NodeDiscovery.all(all.get(0), all.subList(1, all.size()).toArray(new NodeDiscovery[0]));
  }

  /** {@code host:port} (an IPv6 host in brackets), or a failure naming the option. */
  static InetSocketAddress address(String hostPort, String option) {
    int colon = hostPort.lastIndexOf(':');
    String host = colon > 0 ? hostPort.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (host.isEmpty() || port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      InetSocketAddress address = new InetSocketAddress(host, port);
      if (address.isUnresolved()) {
        throw CliException.cannotRun(option + " " + hostPort + ": unknown host " + host);
      }
      return address;
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw CliException.cannotRun(
          option + " " + hostPort + ": expected HOST:PORT, e.g. 127.0.0.1:7000");
    }
  }
}
