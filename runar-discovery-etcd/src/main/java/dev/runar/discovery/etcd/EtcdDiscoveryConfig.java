package dev.runar.discovery.etcd;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of an {@link EtcdDiscovery}. Immutable, so one instance may be shared by any number of
 * threads and nodes; build one with {@link #builder()}. Every setting has a default:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@code endpoints}</td><td>{@code http://127.0.0.1:2379}</td></tr>
 *   <tr><td>{@code keyPrefix}</td><td>{@value #DEFAULT_KEY_PREFIX}</td></tr>
 *   <tr><td>{@code ttl}</td><td>3 s</td></tr>
 *   <tr><td>{@code operationTimeout}</td><td>2 s</td></tr>
 *   <tr><td>{@code retryBackoff}</td><td>100 ms doubling to 500 ms, ±20 % jitter</td></tr>
 *   <tr><td>{@code credentials}</td><td>none</td></tr>
 *   <tr><td>{@code tls}</td><td>none (plain text)</td></tr>
 *   <tr><td>{@code advertisedAddresses}</td><td>the node's own QUIC address</td></tr>
 *   <tr><td>{@code dialStagger}</td><td>500 ms</td></tr>
 * </table>
 */
public final class EtcdDiscoveryConfig {
  /** Where registrations live unless configured otherwise: {@code <prefix><network>/<node id>}. */
  public static final String DEFAULT_KEY_PREFIX = "/runar/nodes/";

  private final ImmutableList<URI> endpoints;
  private final String keyPrefix;
  private final Duration ttl;
  private final Duration operationTimeout;
  private final Duration retryMinDelay;
  private final Duration retryMaxDelay;
  private final Optional<Credentials> credentials;
  private final Optional<EtcdTls> tls;
  private final ImmutableList<InetSocketAddress> advertisedAddresses;
  private final Duration dialStagger;

  private EtcdDiscoveryConfig(Builder b) {
    this.endpoints = ImmutableList.copyOf(b.endpoints);
    this.keyPrefix = b.keyPrefix;
    this.ttl = b.ttl;
    this.operationTimeout = b.operationTimeout;
    this.retryMinDelay = b.retryMinDelay;
    this.retryMaxDelay = b.retryMaxDelay;
    this.credentials = b.credentials;
    this.tls = b.tls;
    this.advertisedAddresses = ImmutableList.copyOf(b.advertisedAddresses);
    this.dialStagger = b.dialStagger;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The etcd members to talk to ({@code http://host:port}); any live one will do. */
  public List<URI> endpoints() {
    return endpoints;
  }

  /** The key prefix of all networks' registrations; ends with {@code /}. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * The lease's time to live: a node that stops refreshing its registration (a crash, a partition
   * from etcd) disappears from its peers' view this long after its last refresh.
   */
  public Duration ttl() {
    return ttl;
  }

  /** The longest any single etcd operation may take before it counts as failed. */
  public Duration operationTimeout() {
    return operationTimeout;
  }

  /** The first delay before registering again after etcd became unreachable. */
  public Duration retryMinDelay() {
    return retryMinDelay;
  }

  /** The longest delay between two attempts to register again. */
  public Duration retryMaxDelay() {
    return retryMaxDelay;
  }

  /** The etcd user and password, when etcd has authentication enabled. */
  public Optional<Credentials> credentials() {
    return credentials;
  }

  /** TLS to etcd, when its client URLs are https. */
  public Optional<EtcdTls> tls() {
    return tls;
  }

  /**
   * The QUIC addresses this node publishes, when they differ from the one it binds (behind NAT,
   * bound to a wildcard address); an address with port 0 takes the node's bound port. Empty: the
   * node's own address.
   */
  public List<InetSocketAddress> advertisedAddresses() {
    return advertisedAddresses;
  }

  /**
   * How long this node waits before reporting a newly registered peer whose node id sorts before
   * its own. Two nodes that see each other at the same moment (one lists, the other watches) would
   * otherwise dial each other at once, and one of the two connections would be dropped as a
   * duplicate after both sides had started using it; staggered, the smaller id dials first and the
   * other finds the connection made. Zero: report at once.
   */
  public Duration dialStagger() {
    return dialStagger;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("endpoints", endpoints)
        .add("keyPrefix", keyPrefix)
        .add("ttl", ttl)
        .add("operationTimeout", operationTimeout)
        .add("retryMinDelay", retryMinDelay)
        .add("retryMaxDelay", retryMaxDelay)
        .add("user", credentials.map(Credentials::user).orElse("(none)"))
        .add("tls", tls.isPresent())
        .add("advertisedAddresses", advertisedAddresses)
        .add("dialStagger", dialStagger)
        .toString();
  }

  /**
   * An etcd user and password. Immutable; {@link #toString()} does not show the password.
   *
   * @param user the etcd user name
   * @param password its password
   */
  public record Credentials(String user, String password) {
    public Credentials {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      checkArgument(!user.isEmpty(), "empty user");
    }

    @Override
    public String toString() {
      return "Credentials[user=" + user + "]";
    }
  }

  /** Builds an {@link EtcdDiscoveryConfig}. Not thread-safe: one builder per thread. */
  public static final class Builder {
    private List<URI> endpoints = List.of(URI.create("http://127.0.0.1:2379"));
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration ttl = Duration.ofSeconds(3);
    private Duration operationTimeout = Duration.ofSeconds(2);
    private Duration retryMinDelay = Duration.ofMillis(100);
    private Duration retryMaxDelay = Duration.ofMillis(500);
    private Optional<Credentials> credentials = Optional.empty();
    private Optional<EtcdTls> tls = Optional.empty();
    private List<InetSocketAddress> advertisedAddresses = List.of();
    private Duration dialStagger = Duration.ofMillis(500);

    private Builder() {}

    /** etcd members as {@code http://host:port} or {@code https://host:port}; at least one. */
    public Builder endpoints(List<URI> endpoints) {
      checkArgument(!endpoints.isEmpty(), "no etcd endpoint");
      for (URI endpoint : endpoints) {
        checkArgument(
            endpoint.getHost() != null && endpoint.getPort() > 0,
            "an etcd endpoint needs a host and a port: %s",
            endpoint);
      }
      this.endpoints = List.copyOf(endpoints);
      return this;
    }

    /** Same as {@link #endpoints(List)}, from strings such as {@code http://10.0.0.7:2379}. */
    public Builder endpoints(String... endpoints) {
      return endpoints(List.of(endpoints).stream().map(URI::create).toList());
    }

    /**
     * Parses a comma-separated list ({@code http://a:2379,http://b:2379}), as given on a command
     * line or in a system property.
     */
    public Builder endpointList(String commaSeparated) {
      return endpoints(
          List.of(commaSeparated.split(",")).stream()
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .toArray(String[]::new));
    }

    /**
     * Default {@value EtcdDiscoveryConfig#DEFAULT_KEY_PREFIX}; a missing trailing {@code /} is
     * added.
     */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      checkArgument(!keyPrefix.isEmpty(), "empty key prefix");
      this.keyPrefix = keyPrefix.endsWith("/") ? keyPrefix : keyPrefix + "/";
      return this;
    }

    /**
     * The lease's time to live, in whole seconds (etcd's unit), at least 1 s; etcd raises a TTL
     * below its own minimum (about 1.5 × its election timeout, 2 s with etcd's defaults). Default 3
     * s.
     */
    public Builder ttl(Duration ttl) {
      checkArgument(
          ttl.toMillis() >= 1_000 && ttl.toMillis() % 1_000 == 0,
          "ttl must be whole seconds >= 1: %s",
          ttl);
      this.ttl = ttl;
      return this;
    }

    /** Default 2 s. */
    public Builder operationTimeout(Duration operationTimeout) {
      checkArgument(operationTimeout.toMillis() > 0, "operationTimeout <= 0");
      this.operationTimeout = operationTimeout;
      return this;
    }

    /**
     * Delays between attempts to register again while etcd is unreachable. Default 100 ms to 500
     * ms.
     */
    public Builder retryBackoff(Duration min, Duration max) {
      checkArgument(min.toMillis() > 0 && max.compareTo(min) >= 0, "bad backoff %s..%s", min, max);
      this.retryMinDelay = min;
      this.retryMaxDelay = max;
      return this;
    }

    /** Authenticates as {@code user}. Default: no authentication. */
    public Builder credentials(String user, String password) {
      this.credentials = Optional.of(new Credentials(user, password));
      return this;
    }

    /** TLS to etcd. Default: plain text. */
    public Builder tls(EtcdTls tls) {
      this.tls = Optional.of(Objects.requireNonNull(tls, "tls"));
      return this;
    }

    /** See {@link EtcdDiscoveryConfig#advertisedAddresses()}. Default: the node's own address. */
    public Builder advertisedAddresses(List<InetSocketAddress> addresses) {
      addresses.forEach(
          a -> checkArgument(!a.isUnresolved(), "advertise numeric addresses: %s", a));
      this.advertisedAddresses = List.copyOf(addresses);
      return this;
    }

    /** Same as {@link #advertisedAddresses(List)}. */
    public Builder advertisedAddresses(InetSocketAddress... addresses) {
      return advertisedAddresses(List.of(addresses));
    }

    /** See {@link EtcdDiscoveryConfig#dialStagger()}. Default 500 ms. */
    public Builder dialStagger(Duration dialStagger) {
      checkArgument(!dialStagger.isNegative(), "dialStagger < 0");
      this.dialStagger = dialStagger;
      return this;
    }

    public EtcdDiscoveryConfig build() {
      return new EtcdDiscoveryConfig(this);
    }
  }
}
