package dev.runar.discovery.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.Node;
import dev.runar.StatusException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * etcd is killed (SIGKILL) for 10 s while {@code alpha} calls {@code beta} and {@code gamma}
 * (children) without pause: no call fails, since an outage of discovery never touches open
 * connections. A node started during the outage ({@code delta}) is found within 2 s of etcd's
 * return, when every node registers again and lists the prefix.
 */
class EtcdOutageTest {
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  private final String network = "etcd-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private EtcdServer etcd;
  private Node alpha;

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
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
  void anOutageFailsNoCallAndANodeStartedDuringItIsFoundOnReturn() throws Exception {
    etcd = EtcdServer.start();
    String endpoints = etcd.clientUrl().toString();
    ProbeProcess beta = started(ProbeProcess.start("beta", network, endpoints));
    ProbeProcess gamma = started(ProbeProcess.start("gamma", network, endpoints));
    alpha = ProbeNodes.start("alpha", network, endpoints);
    beta.awaitReady(Duration.ofSeconds(20));
    gamma.awaitReady(Duration.ofSeconds(20));
    Waits.until(
        Duration.ofSeconds(10),
        "alpha connects to beta and gamma",
        () -> ProbeNodes.connected(alpha, "beta") && ProbeNodes.connected(alpha, "gamma"));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong calls = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicReference<String> firstFailure = new AtomicReference<>("");
    Thread caller =
        new Thread(
            () -> {
              while (running.get()) {
                for (String role : List.of("beta", "gamma")) {
                  try {
                    assertEquals(role, ProbeNodes.who(alpha, role, Duration.ofSeconds(2)));
                    calls.incrementAndGet();
                  } catch (StatusException | AssertionError e) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet("", role + ": " + e);
                  }
                }
              }
            },
            "caller");
    caller.start();
    try {
      Thread.sleep(500);
      etcd.kill();
      long down = System.nanoTime();
      ProbeProcess delta = started(ProbeProcess.start("delta", network, endpoints));
      delta.awaitReady(Duration.ofSeconds(20));
      Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - down) / 1_000_000));
      etcd.restart();
      etcd.awaitHealthy(Duration.ofSeconds(15));
      long back = System.nanoTime();
      Duration found =
          Waits.until(
              Duration.ofSeconds(5), "alpha finds delta", () -> ProbeNodes.knows(alpha, "delta"));
      Duration connected =
          Waits.until(
              Duration.ofSeconds(5),
              "alpha connects to delta",
              () -> ProbeNodes.connected(alpha, "delta"));
      Thread.sleep(500);
      running.set(false);
      caller.join(5_000);
      System.out.printf(
          "etcd outage of %d ms: %d calls, %d failed; delta (started during the outage) found %d ms and"
              + " connected %d ms after etcd was healthy again%n",
          (back - down) / 1_000_000,
          calls.get(),
          failures.get(),
          found.toMillis(),
          found.plus(connected).toMillis());
      assertEquals(
          0,
          failures.get(),
          () -> "calls failed during the outage, the first: " + firstFailure.get());
      assertTrue(calls.get() > 100, "too few calls: " + calls.get());
      assertTrue(
          found.compareTo(Duration.ofSeconds(2)) <= 0,
          "delta found " + found.toMillis() + " ms after etcd's return");
      assertTrue(ProbeNodes.connected(alpha, "beta") && ProbeNodes.connected(alpha, "gamma"));
    } finally {
      running.set(false);
      caller.join(5_000);
    }
  }

  private ProbeProcess started(ProbeProcess process) {
    closeables.add(process);
    return process;
  }
}
