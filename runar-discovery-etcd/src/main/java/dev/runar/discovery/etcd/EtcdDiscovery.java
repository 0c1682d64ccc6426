package dev.runar.discovery.etcd;

import dev.runar.discovery.NodeDiscovery;
import dev.runar.discovery.PeerAnnouncement;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery through an etcd v3 cluster, for nodes that do not share a LAN segment. Each node
 * registers itself under {@code <keyPrefix><network id>/<node id>} (node id, network id, advertised
 * QUIC addresses, capability version, instance id; JSON), attached to a lease that it refreshes
 * every third of the lease's time to live, and watches its network's prefix:
 *
 * <ul>
 *   <li>a registration that appears or changes is reported {@link Listener#discovered}; one that
 *       disappears (its node stopped and revoked its lease, or crashed and the lease expired within
 *       its TTL) is reported {@link Listener#lost};
 *   <li>{@link #close()} revokes the lease, so peers hear of the stop at once;
 *   <li>a new peer whose node id sorts before this node's is reported after {@code dialStagger}
 *       (500 ms), so that of two nodes finding each other at once only one dials (the one the
 *       transport prefers when both do);
 *   <li>when etcd becomes unreachable nothing is reported lost: discovery is a hint, and peers
 *       already connected stay connected (their connections' own liveness decides). The discovery
 *       retries with backoff ({@code retryBackoff}, a new connection to etcd each time) and, once
 *       etcd answers, registers again with a new lease, lists the prefix (reporting what changed
 *       meanwhile, lost peers included) and watches from the listed revision, so no change is
 *       missed;
 *   <li>with several endpoints (an etcd cluster), requests go to live members; a member's loss
 *       costs at most one such re-registration, which peers do not see (the registration's value is
 *       unchanged).
 * </ul>
 *
 * <p>The core runtime does not depend on this module. Combine it with multicast through {@code
 * NodeDiscovery.all(MulticastDiscovery.create(), EtcdDiscovery.create(config))}.
 *
 * <p>Threading: {@link #start}, {@link #update} and {@link #close} may be called from any thread;
 * all etcd state is confined to one thread per discovery ({@code runar-etcd-<node>}), which also
 * makes every call to the node's listener, in order. {@code close()} waits at most the operation
 * timeout for the lease's revocation.
 */
public final class EtcdDiscovery implements NodeDiscovery {
  private static final Logger log = LoggerFactory.getLogger(EtcdDiscovery.class);
  private static final long RETIRE_DELAY_MILLIS = 1_000;

  private final EtcdDiscoveryConfig config;
  // Everything below is confined to `loop`, except where noted.
  private final Map<String, PeerAnnouncement> known = new HashMap<>();

  /** Peers found but not reported yet (see {@link EtcdDiscoveryConfig#dialStagger()}). */
  private final Set<String> staggered = new HashSet<>();

  private final ScheduledExecutorService loop;
  private final AtomicBoolean started = new AtomicBoolean();

  /** The loop thread's name: set once start() knows the node. */
  private volatile String threadName = "runar-etcd";

  private PeerAnnouncement self;
  private Listener listener;
  private String networkPrefix;
  private Optional<Session> session = Optional.empty();

  /** A lease of a broken session that may still be alive in etcd: revoked once etcd answers. */
  private Optional<Long> staleLease = Optional.empty();

  private Optional<ScheduledFuture<?>> retry = Optional.empty();

  /**
   * Clients of broken sessions, closed a moment later: jetcd reports a watch's failure before it
   * schedules the watch's own retry on the client's executor, which must still be open then.
   */
  private final List<Client> retiring = new ArrayList<>();

  private int failures;
  private boolean closed;

  /** One connection to etcd with its lease, watch and refresh timer. Confined to the loop. */
  private static final class Session {
    final Client client;
    long leaseId;
    Optional<Watch.Watcher> watcher = Optional.empty();
    Optional<ScheduledFuture<?>> keepAlive = Optional.empty();

    Session(Client client) {
      this.client = client;
    }

    /** Stops refreshing and watching; the client itself is closed by the caller. */
    void stop() {
      keepAlive.ifPresent(k -> k.cancel(false));
      watcher.ifPresent(Watch.Watcher::close);
    }

    void close() {
      stop();
      client.close();
    }
  }

  private EtcdDiscovery(EtcdDiscoveryConfig config) {
    this.config = config;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, threadName);
              thread.setDaemon(true);
              return thread;
            });
  }

  public static EtcdDiscovery create(EtcdDiscoveryConfig config) {
    return new EtcdDiscovery(Objects.requireNonNull(config, "config"));
  }

  public EtcdDiscoveryConfig config() {
    return config;
  }

  /**
   * Starts registering and watching in the background and returns at once: a node starts even while
   * etcd is unreachable, and registers as soon as it answers.
   */
  @Override
  public void start(PeerAnnouncement self, Listener listener) {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(listener, "listener");
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    threadName =
        "runar-etcd-"
            + (self.nodeId().length() <= 8 ? self.nodeId() : self.nodeId().substring(0, 8));
    loop.execute(
        () -> {
          this.self = advertised(self);
          this.listener = listener;
          this.networkPrefix = Registrations.networkPrefix(config.keyPrefix(), self.networkId());
          warnIfUnreachable(this.self);
          connect();
        });
  }

  @Override
  public void update(PeerAnnouncement self) {
    submit(
        () -> {
          this.self = advertised(self);
          session.ifPresent(
              s ->
                  s.client
                      .getKVClient()
                      .put(key(), value(), PutOption.builder().withLeaseId(s.leaseId).build())
                      .orTimeout(timeoutMillis(), TimeUnit.MILLISECONDS)
                      .whenComplete((r, e) -> onFailure(s, e, "publishing an update")));
        });
  }

  /** Revokes the lease (peers see this node leave at once), stops watching and disconnects. */
  @Override
  public void close() {
    if (!started.get() || loop.isShutdown()) {
      loop.shutdownNow();
      return;
    }
    try {
      loop.submit(this::shutDown).get(2 * timeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      log.warn("etcd discovery did not stop cleanly: {}", e.toString());
    } finally {
      loop.shutdownNow();
    }
  }

  private void shutDown() {
    closed = true;
    retry.ifPresent(r -> r.cancel(false));
    if (session.isPresent()) {
      revoke(session.get().client, session.get().leaseId);
      session.get().close();
      session = Optional.empty();
    } else if (staleLease.isPresent()) {
      // Between two sessions (etcd or a member just failed): the key may still hang on the last
      // session's lease, alive in etcd. Revoke it, so peers see the stop now, not after the TTL.
      try (Client client = newClient()) {
        revoke(client, staleLease.get());
      } catch (SSLException | RuntimeException e) {
        log.warn("could not revoke the etcd lease of {}: {}", self.nodeId(), e.toString());
      }
    }
    retiring.forEach(Client::close);
    retiring.clear();
  }

  private void revoke(Client client, long leaseId) {
    try {
      client.getLeaseClient().revoke(leaseId).get(timeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn(
          "could not revoke the etcd lease of {} (it expires within {}): {}",
          self.nodeId(),
          config.ttl(),
          cause(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- registering, listing, watching (on the loop) ----

  private void connect() {
    retry = Optional.empty();
    if (closed) {
      return;
    }
    Session s;
    try {
      s = new Session(newClient());
    } catch (SSLException | RuntimeException e) {
      if (failures == 0) {
        log.error(
            "node {} cannot create its etcd client (retrying): {}", self.nodeId(), e.toString());
      }
      scheduleRetry();
      return;
    }
    try {
      long timeout = timeoutMillis();
      s.leaseId =
          s.client
              .getLeaseClient()
              .grant(config.ttl().toSeconds())
              .get(timeout, TimeUnit.MILLISECONDS)
              .getID();
      s.client
          .getKVClient()
          .put(key(), value(), PutOption.builder().withLeaseId(s.leaseId).build())
          .get(timeout, TimeUnit.MILLISECONDS);
      GetResponse listed =
          s.client
              .getKVClient()
              .get(bytes(networkPrefix), GetOption.builder().isPrefix(true).build())
              .get(timeout, TimeUnit.MILLISECONDS);
      reconcile(listed.getKvs());
      long from = listed.getHeader().getRevision() + 1;
      s.watcher =
          Optional.of(
              s.client
                  .getWatchClient()
                  .watch(
                      bytes(networkPrefix),
                      WatchOption.builder().isPrefix(true).withRevision(from).build(),
                      Watch.listener(
                          response -> submit(() -> onWatch(s, response)),
                          error -> submit(() -> broken(s, "the watch failed: " + error)),
                          () -> submit(() -> broken(s, "the watch ended")))));
      long period = Math.max(100, config.ttl().toMillis() / 3);
      s.keepAlive =
          Optional.of(
              loop.scheduleWithFixedDelay(
                  () -> keepAlive(s), period, period, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      s.close();
      return;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      if (failures == 0) {
        log.warn(
            "node {} cannot register in etcd {} (retrying): {}",
            self.nodeId(),
            config.endpoints(),
            cause(e));
      } else {
        log.debug("etcd registration attempt {} failed: {}", failures + 1, cause(e));
      }
      if (s.leaseId != 0) {
        staleLease = Optional.of(s.leaseId); // granted, then something else failed
      }
      s.close();
      scheduleRetry();
      return;
    }
    if (failures > 0) {
      log.info(
          "node {} registered in etcd again after {} failed attempts", self.nodeId(), failures);
    } else {
      log.debug(
          "node {} registered in etcd with lease {}", self.nodeId(), Long.toHexString(s.leaseId));
    }
    failures = 0;
    session = Optional.of(s);
    staleLease.ifPresent(
        id ->
            s.client.getLeaseClient().revoke(id).orTimeout(timeoutMillis(), TimeUnit.MILLISECONDS));
    staleLease = Optional.empty();
  }

  /** The listed registrations are now the truth: report what is new, changed or gone. */
  private void reconcile(List<KeyValue> registrations) {
    Map<String, PeerAnnouncement> listed = new HashMap<>();
    for (KeyValue kv : registrations) {
      peer(kv).ifPresent(p -> listed.put(p.nodeId(), p));
    }
    for (String nodeId : new ArrayList<>(known.keySet())) {
      if (!listed.containsKey(nodeId)) {
        forget(nodeId);
      }
    }
    listed.values().forEach(this::seen);
  }

  private void onWatch(Session s, WatchResponse response) {
    if (session.orElse(null) != s) {
      return;
    }
    for (WatchEvent event : response.getEvents()) {
      String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
      String nodeId = key.substring(networkPrefix.length());
      if (nodeId.equals(self.nodeId())) {
        if (event.getEventType() == WatchEvent.EventType.DELETE) {
          broken(s, "this node's registration was deleted");
          return;
        }
        continue;
      }
      switch (event.getEventType()) {
        case PUT -> peer(event.getKeyValue()).ifPresent(this::seen);
        case DELETE -> forget(nodeId);
        default -> {}
      }
    }
  }

  private void seen(PeerAnnouncement peer) {
    String id = peer.nodeId();
    PeerAnnouncement before = known.put(id, peer);
    if (peer.equals(before) || staggered.contains(id)) {
      return; // nothing new, or the pending report will carry it
    }
    if (before == null && id.compareTo(self.nodeId()) < 0 && !config.dialStagger().isZero()) {
      staggered.add(id);
      loop.schedule(
          () -> reportStaggered(id), config.dialStagger().toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    listener.discovered(peer);
  }

  private void reportStaggered(String id) {
    PeerAnnouncement peer = known.get(id);
    if (staggered.remove(id) && peer != null && !closed) {
      listener.discovered(peer);
    }
  }

  private void forget(String nodeId) {
    boolean reported = !staggered.remove(nodeId);
    if (known.remove(nodeId) != null && reported) {
      listener.lost(nodeId);
    }
  }

  /**
   * The peer registered in {@code kv}; empty for this node, other networks, values that name
   * another node than their key, and malformed values.
   */
  private Optional<PeerAnnouncement> peer(KeyValue kv) {
    String key = kv.getKey().toString(StandardCharsets.UTF_8);
    Optional<PeerAnnouncement> peer =
        Registrations.decode(kv.getValue().getBytes())
            .filter(p -> key.equals(networkPrefix + p.nodeId()));
    if (peer.isEmpty()) {
      log.warn("ignoring a malformed registration at {}", key);
    }
    return peer.filter(
        p -> p.networkId().equals(self.networkId()) && !p.nodeId().equals(self.nodeId()));
  }

  private void keepAlive(Session s) {
    if (session.orElse(null) != s) {
      return;
    }
    s.client
        .getLeaseClient()
        .keepAliveOnce(s.leaseId)
        .orTimeout(timeoutMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> onFailure(s, e, "refreshing the lease"));
  }

  private void onFailure(Session s, Throwable error, String doing) {
    if (error != null) {
      submit(() -> broken(s, doing + " failed: " + cause(error)));
    }
  }

  /** {@code s} no longer works: drop it, keep what is known, and register again after a delay. */
  private void broken(Session s, String why) {
    if (closed || session.orElse(null) != s) {
      return;
    }
    log.warn("node {} lost its etcd session ({}); registering again", self.nodeId(), why);
    session = Optional.empty();
    staleLease = Optional.of(s.leaseId);
    s.stop();
    retiring.add(s.client);
    loop.schedule(
        () -> {
          if (retiring.remove(s.client)) {
            s.client.close();
          }
        },
        RETIRE_DELAY_MILLIS,
        TimeUnit.MILLISECONDS);
    scheduleRetry();
  }

  private void scheduleRetry() {
    if (closed || retry.isPresent()) {
      return;
    }
    long min = config.retryMinDelay().toMillis();
    long delay = Math.min(config.retryMaxDelay().toMillis(), min << Math.min(failures++, 20));
    long jittered = (long) (delay * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    retry = Optional.of(loop.schedule(this::connect, jittered, TimeUnit.MILLISECONDS));
  }

  // ---- helpers ----

  private Client newClient() throws SSLException {
    ClientBuilder builder =
        Client.builder()
            .endpoints(config.endpoints().toArray(java.net.URI[]::new))
            .connectTimeout(config.operationTimeout())
            // Fail at once while etcd is down: this class retries, on a fresh connection each time.
            .waitForReady(false)
            .retryMaxAttempts(1)
            .retryDelay(50)
            .retryMaxDelay(200)
            .keepaliveTime(java.time.Duration.ofSeconds(5))
            .keepaliveTimeout(config.operationTimeout());
    config
        .credentials()
        .ifPresent(
            c ->
                builder
                    .user(ByteSequence.from(c.user(), StandardCharsets.UTF_8))
                    .password(ByteSequence.from(c.password(), StandardCharsets.UTF_8)));
    if (config.tls().isPresent()) {
      EtcdTls tls = config.tls().get();
      builder.sslContext(
          ssl -> {
            ssl.trustManager(tls.trustedCertificates().toFile());
            if (tls.clientCertificate().isPresent() && tls.clientKey().isPresent()) {
              ssl.keyManager(
                  tls.clientCertificate().get().toFile(), tls.clientKey().get().toFile());
            }
          });
      tls.serverName().ifPresent(builder::authority);
    }
    return builder.build();
  }

  /** {@code node} with the configured advertised addresses (port 0: the node's own port). */
  private PeerAnnouncement advertised(PeerAnnouncement node) {
    if (config.advertisedAddresses().isEmpty()) {
      return node;
    }
    int ownPort = node.addresses().isEmpty() ? 0 : node.addresses().get(0).getPort();
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (InetSocketAddress a : config.advertisedAddresses()) {
      addresses.add(a.getPort() == 0 ? new InetSocketAddress(a.getAddress(), ownPort) : a);
    }
    return new PeerAnnouncement(
        node.nodeId(), node.networkId(), addresses, node.capabilityVersion(), node.instanceId());
  }

  private static void warnIfUnreachable(PeerAnnouncement self) {
    if (self.addresses().stream().anyMatch(a -> a.getAddress().isAnyLocalAddress())) {
      log.warn(
          "node {} publishes the wildcard address {} in etcd, which peers cannot dial: set"
              + " EtcdDiscoveryConfig.advertisedAddresses",
          self.nodeId(),
          self.addresses());
    }
  }

  private ByteSequence key() {
    return bytes(Registrations.key(config.keyPrefix(), self));
  }

  private ByteSequence value() {
    return ByteSequence.from(Registrations.encode(self));
  }

  private long timeoutMillis() {
    return config.operationTimeout().toMillis();
  }

  /** Runs {@code task} on the loop; dropped before start and once the discovery is closed. */
  private void submit(Runnable task) {
    if (!started.get()) {
      return;
    }
    try {
      loop.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.error("etcd discovery task failed", e);
            }
          });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static String cause(Throwable e) {
    Throwable root = e;
    while ((root instanceof ExecutionException
            || root instanceof java.util.concurrent.CompletionException)
        && root.getCause() != null) {
      root = root.getCause();
    }
    return root.toString();
  }

  @Override
  public String toString() {
    return "EtcdDiscovery" + config.endpoints();
  }
}
