package dev.runar.discovery.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Defaults, validation and the stored format, without an etcd. */
class EtcdDiscoveryConfigTest {
  @Test
  void defaults() {
    EtcdDiscoveryConfig config = EtcdDiscoveryConfig.builder().build();
    assertEquals(List.of(URI.create("http://127.0.0.1:2379")), config.endpoints());
    assertEquals("/runar/nodes/", config.keyPrefix());
    assertEquals(Duration.ofSeconds(3), config.ttl());
    assertEquals(Duration.ofSeconds(2), config.operationTimeout());
    assertEquals(Duration.ofMillis(100), config.retryMinDelay());
    assertEquals(Duration.ofMillis(500), config.retryMaxDelay());
    assertEquals(Duration.ofMillis(500), config.dialStagger());
    assertTrue(
        config.credentials().isEmpty()
            && config.tls().isEmpty()
            && config.advertisedAddresses().isEmpty());
  }

  @Test
  void parsesEndpointListsAndNormalisesThePrefix() {
    EtcdDiscoveryConfig config =
        EtcdDiscoveryConfig.builder()
            .endpointList(" http://a:2379, http://b:2379 ,")
            .keyPrefix("/svc")
            .build();
    assertEquals(
        List.of(URI.create("http://a:2379"), URI.create("http://b:2379")), config.endpoints());
    assertEquals("/svc/", config.keyPrefix());
  }

  @Test
  void rejectsWhatEtcdCannotTake() {
    EtcdDiscoveryConfig.Builder builder = EtcdDiscoveryConfig.builder();
    assertThrows(IllegalArgumentException.class, () -> builder.ttl(Duration.ofMillis(1500)));
    assertThrows(IllegalArgumentException.class, () -> builder.ttl(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> builder.endpoints(List.of()));
    assertThrows(IllegalArgumentException.class, () -> builder.endpoints("http://no-port"));
    assertThrows(
        IllegalArgumentException.class,
        () -> builder.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> builder.advertisedAddresses(InetSocketAddress.createUnresolved("host", 1)));
    assertThrows(IllegalArgumentException.class, () -> builder.keyPrefix(""));
    assertThrows(IllegalArgumentException.class, () -> builder.credentials("", "pw"));
  }

  @Test
  void neverPrintsThePassword() {
    EtcdDiscoveryConfig config =
        EtcdDiscoveryConfig.builder().credentials("runar", "s3cret").build();
    assertFalse(config.toString().contains("s3cret"), config.toString());
    assertFalse(config.credentials().orElseThrow().toString().contains("s3cret"));
  }

  @Test
  void registrationsRoundTripAndRejectNames() {
    var node =
        new dev.runar.discovery.PeerAnnouncement(
            "n1",
            "shop",
            List.of(new InetSocketAddress("10.0.0.5", 4433), new InetSocketAddress("::1", 9)),
            3,
            42);
    byte[] stored = Registrations.encode(node);
    assertEquals(node, Registrations.decode(stored).orElseThrow());
    assertEquals("/runar/nodes/shop/n1", Registrations.key("/runar/nodes/", node));
    String named = "{\"nodeId\":\"n1\",\"networkId\":\"shop\",\"addresses\":[\"example.com:1\"]}";
    assertTrue(Registrations.decode(named.getBytes(StandardCharsets.UTF_8)).isEmpty());
    String newer =
        "{\"nodeId\":\"n1\",\"networkId\":\"shop\",\"addresses\":[\"10.0.0.5:1\"],\"futureField\":true}";
    assertTrue(Registrations.decode(newer.getBytes(StandardCharsets.UTF_8)).isPresent());
    assertTrue(
        Registrations.decode("{\"networkId\":\"shop\"}".getBytes(StandardCharsets.UTF_8))
            .isEmpty());
  }
}
