package dev.runar.discovery.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.Node;
import dev.runar.discovery.NodeDiscovery;
import dev.runar.discovery.PeerAnnouncement;
import io.etcd.jetcd.ByteSequence;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One {@link EtcdDiscovery} against a real etcd, without nodes around it: what it stores, what it
 * reports, authentication. One etcd for the class; every test uses a network of its own.
 */
@Timeout(30)
class EtcdDiscoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static EtcdServer etcd;
  private final String network = "etcd-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startEtcd() throws Exception {
    etcd = EtcdServer.start();
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  /** What a discovery reports, in order. Thread-safe. */
  private static final class Reports implements NodeDiscovery.Listener {
    final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void discovered(PeerAnnouncement peer) {
      events.add("+" + peer.nodeId() + " v" + peer.capabilityVersion() + " " + peer.addresses());
    }

    @Override
    public void lost(String nodeId) {
      events.add("-" + nodeId);
    }

    String next() throws InterruptedException {
      String event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return event == null ? "(nothing within " + WAIT + ")" : event;
    }
  }

  private final java.util.List<EtcdDiscovery> toClose = new java.util.ArrayList<>();

  /** Closes {@code discovery} after the test, whatever happens (closing twice is harmless). */
  private void closeAfter(EtcdDiscovery discovery) {
    toClose.add(discovery);
  }

  @org.junit.jupiter.api.AfterEach
  void closeDiscoveries() {
    toClose.forEach(EtcdDiscovery::close);
  }

  private PeerAnnouncement self(String id, int port, long version) {
    return new PeerAnnouncement(
        id, network, List.of(new InetSocketAddress("127.0.0.1", port)), version, 7);
  }

  private EtcdDiscoveryConfig.Builder config() {
    return EtcdDiscoveryConfig.builder().endpoints(etcd.clientUrl().toString());
  }

  @Test
  void reportsAppearanceChangeAndLeaveAndIgnoresMalformedRegistrations() throws Exception {
    Reports aHears = new Reports();
    try (EtcdDiscovery a = EtcdDiscovery.create(config().build());
        Registry registry = new Registry(etcd.clientUrl().toString(), network)) {
      a.start(self("a", 7001, 1), aHears);
      registry.put("junk", "not json");
      registry.put(
          "other-net",
          "{\"nodeId\":\"x\",\"networkId\":\"elsewhere\",\"addresses\":[\"127.0.0.1:1\"]}");
      EtcdDiscovery b = EtcdDiscovery.create(config().build());
      closeAfter(b);
      b.start(self("b", 7002, 1), new Reports());
      assertEquals("+b v1 [/127.0.0.1:7002]", aHears.next());
      b.update(self("b", 7002, 2));
      assertEquals("+b v2 [/127.0.0.1:7002]", aHears.next());
      long closing = System.nanoTime();
      b.close();
      assertEquals("-b", aHears.next());
      long lostAfterMillis = (System.nanoTime() - closing) / 1_000_000;
      assertTrue(lostAfterMillis < 1_000, "lost after " + lostAfterMillis + " ms");
      assertTrue(aHears.events.isEmpty(), () -> "unexpected: " + aHears.events);
      assertFalse(registry.registered("b"));
    }
  }

  @Test
  void ofTwoNodesFindingEachOtherTheLargerIdWaitsForTheStagger() throws Exception {
    Reports aHears = new Reports();
    Reports bHears = new Reports();
    try (EtcdDiscovery a = EtcdDiscovery.create(config().build());
        EtcdDiscovery b = EtcdDiscovery.create(config().build())) {
      a.start(self("a", 7001, 1), aHears);
      long start = System.nanoTime();
      b.start(self("b", 7002, 1), bHears);
      assertEquals("+b v1 [/127.0.0.1:7002]", aHears.next());
      long aHeardMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals("+a v1 [/127.0.0.1:7001]", bHears.next());
      long bHeardMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(
          bHeardMillis >= 500 && bHeardMillis - aHeardMillis >= 300,
          () -> "a heard b after " + aHeardMillis + " ms, b heard a after " + bHeardMillis + " ms");
    }
  }

  @Test
  void afterAnOutageItReportsWhatChangedMeanwhile() throws Exception {
    Reports aHears = new Reports();
    EtcdDiscovery a = EtcdDiscovery.create(config().build());
    EtcdDiscovery b = EtcdDiscovery.create(config().build());
    EtcdDiscovery c = EtcdDiscovery.create(config().build());
    List.of(a, b, c).forEach(this::closeAfter);
    a.start(self("a", 7001, 1), aHears);
    b.start(self("b", 7002, 1), new Reports());
    assertEquals("+b v1 [/127.0.0.1:7002]", aHears.next());

    etcd.kill();
    b.close(); // cannot revoke: its lease expires a TTL after etcd is back
    c.start(self("c", 7003, 1), new Reports());
    Thread.sleep(1_000);
    assertTrue(aHears.events.isEmpty(), () -> "an outage is not a loss: " + aHears.events);
    etcd.restart();
    etcd.awaitHealthy(Duration.ofSeconds(15));
    long back = System.nanoTime();
    assertEquals("+c v1 [/127.0.0.1:7003]", aHears.next());
    long cMillis = (System.nanoTime() - back) / 1_000_000;
    assertEquals("-b", aHears.next());
    long bMillis = (System.nanoTime() - back) / 1_000_000;
    Duration ttl = config().build().ttl();
    assertTrue(cMillis <= 2_000, "c found " + cMillis + " ms after etcd's return");
    // A restarted etcd extends every lease by its election timeout (1 s here) past the TTL.
    assertTrue(
        bMillis <= ttl.plusSeconds(2).toMillis(), "b lost " + bMillis + " ms after etcd's return");
  }

  @Test
  void storesReadableJsonWithTheAdvertisedAddressAndUpdatesIt() throws Exception {
    EtcdDiscoveryConfig config =
        config()
            .advertisedAddresses(
                new InetSocketAddress("10.1.2.3", 0), new InetSocketAddress("10.1.2.4", 9999))
            .build();
    Node node = ProbeNodes.start("alpha", network, EtcdDiscovery.create(config));
    try (Registry registry = new Registry(etcd.clientUrl().toString(), network)) {
      int port = node.config().transport().orElseThrow().localAddress().getPort();
      Waits.until(WAIT, "alpha registered", () -> registry.registered("alpha"));
      String value = registry.value("alpha").orElseThrow();
      assertTrue(
          value.contains("\"nodeId\":\"alpha\"")
              && value.contains("\"networkId\":\"" + network + "\""),
          value);
      assertTrue(
          value.contains("\"addresses\":[\"10.1.2.3:" + port + "\",\"10.1.2.4:9999\"]"), value);
      assertTrue(value.matches(".*\"instanceId\":\"[1-9][0-9]*\".*"), value);
      PeerAnnouncement before =
          Registrations.decode(value.getBytes(StandardCharsets.UTF_8)).orElseThrow();

      node.addService(dev.runar.ServiceDefinition.builder("extra").build());
      Waits.until(
          WAIT,
          "the new capability version is published",
          () ->
              Registrations.decode(
                          registry.value("alpha").orElseThrow().getBytes(StandardCharsets.UTF_8))
                      .orElseThrow()
                      .capabilityVersion()
                  > before.capabilityVersion());
      node.stop();
      assertFalse(
          registry.registered("alpha"),
          "a stopped node's registration is revoked before stop() returns");
    } finally {
      node.stop();
    }
  }

  @Test
  void authenticatesWithUserAndPassword() throws Exception {
    String password = UUID.randomUUID().toString();
    try (Registry admin = new Registry(etcd.clientUrl().toString(), network)) {
      var auth = admin.client().getAuthClient();
      ByteSequence root = ByteSequence.from("root", StandardCharsets.UTF_8);
      ByteSequence pw = ByteSequence.from(password, StandardCharsets.UTF_8);
      auth.roleAdd(root).get(2, TimeUnit.SECONDS);
      auth.userAdd(root, pw).get(2, TimeUnit.SECONDS);
      auth.userGrantRole(root, root).get(2, TimeUnit.SECONDS);
      auth.authEnable().get(2, TimeUnit.SECONDS);
    }
    try {
      Reports aHears = new Reports();
      Reports strangerHears = new Reports();
      try (EtcdDiscovery a = EtcdDiscovery.create(config().credentials("root", password).build());
          EtcdDiscovery b = EtcdDiscovery.create(config().credentials("root", password).build());
          EtcdDiscovery stranger =
              EtcdDiscovery.create(config().credentials("root", "wrong").build())) {
        a.start(self("a", 7001, 1), aHears);
        stranger.start(self("stranger", 7003, 1), strangerHears);
        b.start(self("b", 7002, 1), new Reports());
        assertEquals("+b v1 [/127.0.0.1:7002]", aHears.next());
        Thread.sleep(500);
        assertTrue(aHears.events.isEmpty(), () -> "a stranger registered: " + aHears.events);
        assertTrue(
            strangerHears.events.isEmpty(), () -> "a stranger listed: " + strangerHears.events);
      }
    } finally {
      disableAuth(password);
    }
  }

  @Test
  void talksTlsWithAClientCertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    // The development CA's certificates name the host "runar-node": etcd serves one, each client
    // presents one, and verifies etcd's against that name rather than 127.0.0.1.
    dev.runar.security.DevelopmentCa ca = dev.runar.security.DevelopmentCa.create("etcd-tls");
    ca.writePem("etcd", dir);
    ca.writePem("client", dir);
    try (EtcdServer tlsEtcd =
        EtcdServer.startTls(
            dir.resolve("etcd.crt"), dir.resolve("etcd.key"), dir.resolve("ca.crt"))) {
      EtcdTls tls =
          EtcdTls.trusting(dir.resolve("ca.crt"))
              .withClientCertificate(dir.resolve("client.crt"), dir.resolve("client.key"))
              .withServerName("runar-node");
      EtcdDiscoveryConfig.Builder config =
          EtcdDiscoveryConfig.builder().endpoints(tlsEtcd.clientUrl().toString()).tls(tls);
      Reports aHears = new Reports();
      EtcdDiscovery b = EtcdDiscovery.create(config.build());
      try (EtcdDiscovery a = EtcdDiscovery.create(config.build())) {
        a.start(self("a", 7001, 1), aHears);
        b.start(self("b", 7002, 1), new Reports());
        assertEquals("+b v1 [/127.0.0.1:7002]", aHears.next());
        b.close();
        assertEquals("-b", aHears.next());
      } finally {
        b.close();
      }
    }
  }

  private static void disableAuth(String password) throws Exception {
    try (var client =
        io.etcd.jetcd.Client.builder()
            .endpoints(etcd.clientUrl().toString())
            .user(ByteSequence.from("root", StandardCharsets.UTF_8))
            .password(ByteSequence.from(password, StandardCharsets.UTF_8))
            .build()) {
      client.getAuthClient().authDisable().get(2, TimeUnit.SECONDS);
    }
  }
}
