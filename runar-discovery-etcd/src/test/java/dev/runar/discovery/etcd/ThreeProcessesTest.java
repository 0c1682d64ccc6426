package dev.runar.discovery.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.Node;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three Runar nodes in three processes (this JVM runs {@code alpha}, children run {@code beta} and
 * {@code gamma}), multicast off, find each other through a real etcd and call each other through
 * generated stubs. Then {@code gamma} is killed with SIGKILL (its services are dropped within the
 * TTL + 1 s) and {@code beta} stops gracefully (dropped within 1 s).
 */
class ThreeProcessesTest {
  private static final Duration TTL = EtcdDiscoveryConfig.builder().build().ttl();
  private final String network = "etcd-" + UUID.randomUUID().toString().substring(0, 8);
  private EtcdServer etcd;
  private Node alpha;
  private ProbeProcess beta;
  private ProbeProcess gamma;

  @AfterEach
  void cleanUp() {
    for (AutoCloseable c : new AutoCloseable[] {beta, gamma}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // best effort
        }
      }
    }
    if (alpha != null) {
      alpha.stop();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  @Timeout(60)
  void findEachOtherCallEachOtherAndNoticeACrashAndAStop() throws Exception {
    etcd = EtcdServer.start();
    String endpoints = etcd.clientUrl().toString();
    long begin = System.nanoTime();
    beta = ProbeProcess.start("beta", network, endpoints);
    gamma = ProbeProcess.start("gamma", network, endpoints);
    alpha = ProbeNodes.start("alpha", network, endpoints);
    beta.awaitReady(Duration.ofSeconds(20));
    gamma.awaitReady(Duration.ofSeconds(20));

    // Every node calls both others: alpha directly, beta and gamma inside their Survey handlers.
    Waits.until(
        Duration.ofSeconds(10), "every node reaches both others", () -> everyoneReachesEveryone());
    long allConnectedMillis = (System.nanoTime() - begin) / 1_000_000;
    assertEquals("beta", ProbeNodes.who(alpha, "beta", Duration.ofSeconds(2)));
    assertEquals("gamma", ProbeNodes.who(alpha, "gamma", Duration.ofSeconds(2)));

    try (Registry registry = new Registry(endpoints, network)) {
      assertTrue(registry.registered("gamma") && registry.registered("beta"));
      gamma.kill();
      long killed = System.nanoTime();
      Duration servicesDropped =
          Waits.until(
              TTL.plusSeconds(3),
              "alpha drops gamma's services",
              () -> ProbeNodes.gone(alpha, "gamma") && !ProbeNodes.connected(alpha, "gamma"));
      Waits.until(
          TTL.plusSeconds(3), "gamma's registration expires", () -> !registry.registered("gamma"));
      Duration expired = Duration.ofNanos(System.nanoTime() - killed);
      Waits.until(
          Duration.ofSeconds(3),
          "beta drops gamma",
          () ->
              Set.copyOf(
                      ProbeNodes.survey(alpha, "beta", Duration.ofSeconds(3)).getAnsweredByList())
                  .equals(Set.of("alpha")));

      beta.stopGracefully();
      long stopped = System.nanoTime();
      Duration betaDropped =
          Waits.until(
              Duration.ofSeconds(3),
              "alpha drops beta's services",
              () -> ProbeNodes.gone(alpha, "beta") && !ProbeNodes.connected(alpha, "beta"));
      Waits.until(
          Duration.ofSeconds(3),
          "beta's registration is revoked",
          () -> !registry.registered("beta"));
      Duration revoked = Duration.ofNanos(System.nanoTime() - stopped);
      assertTrue(beta.awaitExit(Duration.ofSeconds(10)), "beta did not exit");

      System.out.printf(
          "etcd discovery, 3 processes: all connected %d ms after the first start; kill -9 (TTL %d s):"
              + " services dropped after %d ms, registration expired after %d ms; graceful stop:"
              + " services dropped after %d ms, registration revoked after %d ms%n",
          allConnectedMillis,
          TTL.toSeconds(),
          servicesDropped.toMillis(),
          expired.toMillis(),
          betaDropped.toMillis(),
          revoked.toMillis());
      assertTrue(
          servicesDropped.compareTo(TTL.plusSeconds(1)) <= 0,
          "killed node's services dropped after " + servicesDropped.toMillis() + " ms");
      assertTrue(
          expired.compareTo(TTL.plusSeconds(1)) <= 0,
          "killed node's registration expired after " + expired.toMillis() + " ms");
      assertTrue(
          betaDropped.compareTo(Duration.ofSeconds(1)) <= 0,
          "stopped node's services dropped after " + betaDropped.toMillis() + " ms");
      assertTrue(
          revoked.compareTo(Duration.ofSeconds(1)) <= 0,
          "stopped node's registration revoked after " + revoked.toMillis() + " ms");
    }
  }

  /**
   * gamma is killed and at once restarted on the same port with the same id: alpha still holds the
   * dead process's connection, and recognises the restart by the new instance id gamma registers,
   * so calls reach the new process without waiting for the liveness timeout. alpha's liveness
   * timeout is long (20 s) here: with the default 2.5 s, a restart slower than that (a JVM starting
   * on a loaded machine) was declared dead first, and nothing told the two ways apart.
   */
  @Test
  @Timeout(60)
  void aNodeRestartedAtOnceIsRecognisedByItsNewInstance() throws Exception {
    etcd = EtcdServer.start();
    String endpoints = etcd.clientUrl().toString();
    int port = freeUdpPort();
    gamma = ProbeProcess.start("gamma", network, endpoints, port);
    alpha = ProbeNodes.start("alpha", network, endpoints, Duration.ofSeconds(20));
    gamma.awaitReady(Duration.ofSeconds(20));
    Waits.until(
        Duration.ofSeconds(10), "alpha reaches gamma", () -> ProbeNodes.connected(alpha, "gamma"));

    java.util.List<String> gammaStates = new java.util.concurrent.CopyOnWriteArrayList<>();
    alpha
        .peers()
        .addListener(
            (before, after) -> {
              if (after != null && after.nodeId().equals("gamma")) {
                gammaStates.add(after.state().name());
              }
            });
    gamma.kill();
    gamma = ProbeProcess.start("gamma", network, endpoints, port);
    gamma.awaitReady(Duration.ofSeconds(20));
    long ready = System.nanoTime();
    Duration served =
        Waits.until(
            Duration.ofSeconds(5),
            "alpha calls the restarted gamma",
            () -> {
              try {
                return ProbeNodes.who(alpha, "gamma", Duration.ofMillis(500)).equals("gamma");
              } catch (dev.runar.StatusException e) {
                return false;
              }
            });
    System.out.printf(
        "etcd discovery, restart on the same port: first call %d ms after the new process was ready%n",
        served.toMillis());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - ready).compareTo(Duration.ofMillis(2_500)) < 0,
        "served after " + served.toMillis() + " ms");
    // Replaced on sight of the new instance, not declared dead by the liveness check first.
    assertFalse(
        gammaStates.contains("DISCONNECTED"), () -> "gamma's states at alpha: " + gammaStates);
  }

  private static int freeUdpPort() throws java.io.IOException {
    try (java.net.DatagramSocket socket =
        new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0))) {
      return socket.getLocalPort();
    }
  }

  private boolean everyoneReachesEveryone() {
    try {
      return ProbeNodes.survey(alpha, "alpha", Duration.ofSeconds(3))
              .getAnsweredByList()
              .containsAll(List.of("beta", "gamma"))
          && ProbeNodes.survey(alpha, "beta", Duration.ofSeconds(3))
              .getAnsweredByList()
              .containsAll(List.of("alpha", "gamma"))
          && ProbeNodes.survey(alpha, "gamma", Duration.ofSeconds(3))
              .getAnsweredByList()
              .containsAll(List.of("alpha", "beta"));
    } catch (dev.runar.StatusException e) {
      return false;
    }
  }
}
