package dev.runar;

import static dev.runar.TestServices.eventually;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.discovery.MulticastDiscovery;
import dev.runar.discovery.NodeDiscovery;
import dev.runar.discovery.StaticDiscovery;
import dev.runar.network.Peers.PeerState;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kill -9 of a serving process under load (256 calls in flight, 2 s deadlines), then a restart on
 * the same port, with the same node id or a new one, found by multicast or by static seeds (each
 * side seeded with the other). No call hangs, the caller declares the dead peer within 3 s, and
 * calls succeed again within 1 s of the restarted process saying it is ready.
 */
class CrashRecoveryTest {
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(2);

  private final String network = "crash-" + UUID.randomUUID().toString().substring(0, 8);
  private final String group =
      "239.255."
          + ThreadLocalRandom.current().nextInt(1, 255)
          + "."
          + ThreadLocalRandom.current().nextInt(1, 255);
  private final int multicastPort = ThreadLocalRandom.current().nextInt(20_000, 60_000);
  private final List<Process> processes = new ArrayList<>();
  private Node client;

  @AfterEach
  void cleanUp() {
    processes.forEach(Process::destroyForcibly);
    if (client != null) {
      client.stop();
    }
  }

  /**
   * {@code restart}: {@code after-detection} waits until the caller declared the killed process
   * dead; {@code at-once} restarts it right away, so that the restarted process (same node id, new
   * instance) meets a caller that still holds the dead connection and must replace it.
   */
  @ParameterizedTest(name = "{0} discovery, {1} node id, restart {2}")
  @CsvSource({
    "multicast, same, after-detection",
    "multicast, new, after-detection",
    "static, same, after-detection",
    "static, new, after-detection",
    "multicast, same, at-once",
    "static, same, at-once"
  })
  @Timeout(45)
  void aKilledProviderIsDeclaredDeadAndItsRestartServesWithinASecond(
      String discovery, String identity, String restart) throws Exception {
    // The port stays reserved while the client binds its own sockets, which could otherwise be
    // given it, and is freed just before the server process binds it.
    DatagramSocket reservation =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    int serverPort = reservation.getLocalPort();
    try {
      client = Node.create(clientConfig(discovery, serverPort)).start();
    } finally {
      reservation.close();
    }
    int clientPort = client.config().transport().orElseThrow().localAddress().getPort();

    Process first = startServer("crash-server", serverPort, discovery, clientPort);
    awaitReady(first);
    eventually(() -> connected("crash-server"));
    CallLoad load = new CallLoad(client, "work/echo", 256, CALL_DEADLINE).start();
    try {
      assertNotNull(
          load.awaitSuccessAfter(1_000, Duration.ofSeconds(10)),
          () -> "no calls got through: " + load);

      first.destroyForcibly(); // SIGKILL: no goodbye, no close
      long killedAt = System.nanoTime();
      assertTrue(first.waitFor(10, TimeUnit.SECONDS));
      long deadAfterMillis = -1;
      if (restart.equals("after-detection")) {
        eventually(() -> !connected("crash-server"));
        deadAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertTrue(
            deadAfterMillis <= 3_000,
            "the dead peer was declared after " + deadAfterMillis + " ms");
      }

      String restartedId = identity.equals("same") ? "crash-server" : "crash-server-2";
      Process second = startServer(restartedId, serverPort, discovery, clientPort);
      awaitReady(second);
      long readyAfterKillMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      long before = load.successes();
      Duration recovered = load.awaitSuccessAfter(before, Duration.ofSeconds(10));
      assertNotNull(recovered, () -> "no call succeeded after the restart: " + load);
      System.out.printf(
          "crash recovery (%s, %s id, restart %s): declared dead after %d ms, restarted process ready"
              + " %d ms after the kill, first call %d ms after ready; %s%n",
          discovery,
          identity,
          restart,
          deadAfterMillis,
          readyAfterKillMillis,
          recovered.toMillis(),
          load);
      assertTrue(
          recovered.toMillis() <= 1_000,
          "first call succeeded "
              + recovered.toMillis()
              + " ms after the restarted process was ready");
    } finally {
      assertTrue(load.stop(Duration.ofSeconds(1)), () -> "calls hung: " + load);
    }
    assertTrue(
        load.longest().compareTo(CALL_DEADLINE.plusMillis(500)) <= 0,
        () -> "a call took " + load.longest().toMillis() + " ms with a 2 s deadline");
  }

  private NodeConfig clientConfig(String discovery, int serverPort) {
    NodeDiscovery found =
        discovery.equals("multicast")
            ? MulticastDiscovery.create(
                MulticastDiscovery.Config.builder()
                    .group(group)
                    .port(multicastPort)
                    .announceInterval(Duration.ofSeconds(1))
                    .build())
            : StaticDiscovery.of(new InetSocketAddress("127.0.0.1", serverPort));
    return NodeConfig.builder()
        .nodeId("crash-client")
        .networkId(network)
        .transport(
            new QuicTransport(
                QuicTransportConfig.builder().security(Security.development()).build()))
        .discovery(found)
        .build();
  }

  private Process startServer(String nodeId, int port, String discovery, int clientPort)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add("-XX:TieredStopAtLevel=1"); // starts faster: these processes live seconds
    command.add(CrashablePeerMain.class.getName());
    command.add(nodeId);
    command.add(network);
    command.add(String.valueOf(port));
    if (discovery.equals("multicast")) {
      command.addAll(List.of("multicast", group, String.valueOf(multicastPort)));
    } else {
      command.addAll(List.of("static", String.valueOf(clientPort)));
    }
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(process);
    return process;
  }

  private static void awaitReady(Process process) throws Exception {
    CompletableFuture<Boolean> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.equals("READY")) {
                    return true;
                  }
                }
                return false;
              } catch (IOException e) {
                return false;
              }
            });
    assertTrue(ready.get(20, TimeUnit.SECONDS), "the server process did not start");
  }

  private boolean connected(String peerId) {
    return client.peers().get(peerId).map(p -> p.state() == PeerState.CONNECTED).orElse(false);
  }
}
