package dev.runar.cli;

import com.google.protobuf.util.JsonFormat;
import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.cli.testing.ClockRunar;
import dev.runar.cli.testing.Note;
import dev.runar.cli.testing.NowReply;
import dev.runar.cli.testing.NowRequest;
import dev.runar.cli.testing.Tick;
import dev.runar.discovery.MulticastDiscovery;
import dev.runar.discovery.etcd.EtcdDiscovery;
import dev.runar.discovery.etcd.EtcdDiscoveryConfig;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.NodeCredentials;
import dev.runar.security.Security;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A test node in a JVM of its own: {@code nodeId network group port certificateDir services tick}
 * ({@code certificateDir} {@code -}: development security; a {@code group} starting with {@code
 * http}: etcd discovery at those endpoints instead of multicast). Hosts the services named
 * (comma-separated: {@code echo}, {@code clock}, or {@code -} for none), publishes a {@code Tick}
 * on {@code ticks/tock} every 100 ms when {@code tick} is true, prints {@code ready HOST:PORT}
 * (where it listens) once started and {@code note <json>} for each {@code Note} it receives on
 * {@code notes/>}, and stops when its standard input closes.
 */
public final class TestNodeMain {
  private TestNodeMain() {}

  public static void main(String[] args) throws Exception {
    String nodeId = args[0];
    Path certificates = Path.of(args[4]);
    List<String> services = List.of(args[5].split(","));
    boolean tick = Boolean.parseBoolean(args[6]);
    Security security =
        args[4].equals("-")
            ? Security.development()
            : Security.networkCa(
                NodeCredentials.fromPem(
                    certificates.resolve(nodeId + ".crt"),
                    certificates.resolve(nodeId + ".key"),
                    certificates.resolve("ca.crt")));
    QuicTransport transport =
        new QuicTransport(
            QuicTransportConfig.builder()
                .security(security)
                .shutdownGracePeriod(Duration.ofMillis(200))
                .build());
    Node node =
        Node.create(
            NodeConfig.builder()
                .nodeId(nodeId)
                .networkId(args[1])
                .shutdownGracePeriod(Duration.ofMillis(200))
                .transport(transport)
                .discovery(
                    args[2].startsWith("http")
                        ? EtcdDiscovery.create(
                            EtcdDiscoveryConfig.builder().endpointList(args[2]).build())
                        : MulticastDiscovery.create(
                            MulticastDiscovery.Config.builder()
                                .group(args[2])
                                .port(Integer.parseInt(args[3]))
                                .announceInterval(Duration.ofMillis(500))
                                .build()))
                .build());
    if (services.contains("echo")) {
      node.addService(new EchoService());
    }
    if (services.contains("clock")) {
      node.addService(
          new ClockRunar.ClockImplBase() {
            @Override
            public NowReply now(NowRequest request) {
              return NowReply.newBuilder().setEpochMillis(System.currentTimeMillis()).build();
            }
          });
    }
    JsonFormat.Printer json = JsonFormat.printer().omittingInsignificantWhitespace();
    node.subscribe(
        "notes/>",
        event -> {
          try {
            say("note " + event.topic().actionPath() + " " + json.print(event.payload(Note.class)));
          } catch (Exception e) {
            say("bad note: " + e);
          }
        });
    node.start();
    InetSocketAddress address = transport.localAddress();
    say("ready " + address.getHostString() + ":" + address.getPort());
    Thread ticker = null;
    if (tick) {
      ticker =
          new Thread(
              () -> {
                long sequence = 0;
                try {
                  while (!Thread.currentThread().isInterrupted()) {
                    node.publish(
                        "ticks/tock",
                        Tick.newBuilder().setNodeId(nodeId).setSequence(++sequence).build());
                    Thread.sleep(100);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "ticker");
      ticker.setDaemon(true);
      ticker.start();
    }
    while (System.in.read() >= 0) {
      // until the test closes our standard input
    }
    if (ticker != null) {
      ticker.interrupt();
    }
    node.stop();
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
