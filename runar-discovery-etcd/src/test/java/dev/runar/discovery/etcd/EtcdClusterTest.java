package dev.runar.discovery.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.Node;
import dev.runar.network.Peers.PeerState;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A three-member etcd cluster on 127.0.0.1 loses its leader (SIGKILL): discovery keeps working.
 * Connected nodes stay connected and lose no peer, a node started afterwards is found, and a node
 * that stops is noticed within 1 s.
 */
class EtcdClusterTest {
  private final String network = "etcd-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Node> nodes = new ArrayList<>();
  private List<EtcdServer> members = List.of();

  @AfterEach
  void cleanUp() {
    nodes.forEach(Node::stop);
    members.forEach(EtcdServer::close);
  }

  @Test
  @Timeout(60)
  void losingOneMemberOfThreeIsInvisible() throws Exception {
    members = EtcdServer.cluster(3);
    String endpoints = EtcdServer.endpoints(members);
    Node alpha = started(ProbeNodes.start("alpha", network, endpoints));
    Node beta = started(ProbeNodes.start("beta", network, endpoints));
    Node gamma = started(ProbeNodes.start("gamma", network, endpoints));
    Waits.until(
        Duration.ofSeconds(10),
        "all connected",
        () ->
            ProbeNodes.connected(alpha, "beta")
                && ProbeNodes.connected(alpha, "gamma")
                && ProbeNodes.connected(beta, "gamma"));
    Thread.sleep(500); // simultaneous dials in both directions settle on one connection per pair
    List<String> changes = new CopyOnWriteArrayList<>();
    alpha
        .peers()
        .addListener(
            (before, after) -> {
              String peer = before != null ? before.nodeId() : after.nodeId();
              if (List.of("beta", "gamma").contains(peer)
                  && (after == null || after.state() != PeerState.CONNECTED)) {
                changes.add(peer + " -> " + (after == null ? "removed" : after.state()));
              }
            });

    EtcdServer leader = leader(endpoints);
    leader.kill();
    long killed = System.nanoTime();
    Node delta = started(ProbeNodes.start("delta", network, endpoints));
    Duration found =
        Waits.until(
            Duration.ofSeconds(10),
            "alpha finds delta",
            () -> ProbeNodes.connected(alpha, "delta"));
    Duration foundAfterKill = Duration.ofNanos(System.nanoTime() - killed);
    for (int i = 0; i < 50; i++) {
      assertEquals("beta", ProbeNodes.who(alpha, "beta", Duration.ofSeconds(2)));
      assertEquals("gamma", ProbeNodes.who(alpha, "gamma", Duration.ofSeconds(2)));
    }
    assertEquals(List.of(), changes, "alpha's peers changed although only an etcd member died");

    try (Registry registry = new Registry(endpoints, network)) {
      Waits.until(
          Duration.ofSeconds(5),
          "every node registered",
          () -> List.of("alpha", "beta", "gamma", "delta").stream().allMatch(registry::registered));
      long stopping = System.nanoTime();
      beta.stop();
      nodes.remove(beta);
      Waits.until(
          Duration.ofSeconds(3),
          "beta's registration is revoked",
          () -> !registry.registered("beta"));
      Duration revoked = Duration.ofNanos(System.nanoTime() - stopping);
      Waits.until(Duration.ofSeconds(3), "alpha drops beta", () -> ProbeNodes.gone(alpha, "beta"));
      Duration dropped = Duration.ofNanos(System.nanoTime() - stopping);
      System.out.printf(
          "etcd cluster of 3, leader %s killed: delta found and connected %d ms after the kill (%d ms after"
              + " it started); beta's stop: registration revoked after %d ms, services dropped after %d ms%n",
          leader.name(),
          foundAfterKill.toMillis(),
          found.toMillis(),
          revoked.toMillis(),
          dropped.toMillis());
      assertTrue(
          revoked.compareTo(Duration.ofSeconds(1)) <= 0,
          "revoked after " + revoked.toMillis() + " ms");
    }
    assertTrue(ProbeNodes.connected(gamma, "delta"));
  }

  /** The member that currently leads, asked through a separate client. */
  private EtcdServer leader(String endpoints) throws Exception {
    try (Registry registry = new Registry(endpoints, network)) {
      for (EtcdServer member : members) {
        StatusResponse status =
            registry
                .client()
                .getMaintenanceClient()
                .statusMember(member.clientUrl().toString())
                .get(2, TimeUnit.SECONDS);
        if (status.getLeader() == status.getHeader().getMemberId()) {
          return member;
        }
      }
    }
    throw new IllegalStateException("no leader");
  }

  private Node started(Node node) {
    nodes.add(node);
    return node;
  }
}
