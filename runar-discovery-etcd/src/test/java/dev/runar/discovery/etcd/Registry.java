package dev.runar.discovery.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The test's own view of a network's registrations in etcd, through a separate client: what peers
 * would see. Thread-safe (jetcd's client is).
 */
final class Registry implements AutoCloseable {
  private final Client client;
  private final String prefix;

  Registry(String endpoints, String network) {
    this.client = Client.builder().endpoints(endpoints.split(",")).build();
    this.prefix = Registrations.networkPrefix(EtcdDiscoveryConfig.DEFAULT_KEY_PREFIX, network);
  }

  Client client() {
    return client;
  }

  /** The stored value of {@code nodeId}'s registration, if it has one. */
  Optional<String> value(String nodeId) {
    try {
      return client.getKVClient().get(key(nodeId)).get(2, TimeUnit.SECONDS).getKvs().stream()
          .findFirst()
          .map(kv -> kv.getValue().toString(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + nodeId + "'s registration", e);
    }
  }

  boolean registered(String nodeId) {
    return value(nodeId).isPresent();
  }

  void put(String nodeId, String value) throws Exception {
    client
        .getKVClient()
        .put(key(nodeId), ByteSequence.from(value, StandardCharsets.UTF_8))
        .get(2, TimeUnit.SECONDS);
  }

  private ByteSequence key(String nodeId) {
    return ByteSequence.from(prefix + nodeId, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }
}
