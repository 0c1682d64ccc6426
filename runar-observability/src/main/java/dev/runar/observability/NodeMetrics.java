package dev.runar.observability;

import dev.runar.Node;
import dev.runar.network.Peers;
import dev.runar.network.Peers.Peer;
import dev.runar.network.Peers.PeerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's figures, tagged with its id: peers by state, discovery events (a peer found, a peer
 * lost), and every connected peer's transport figures, polled on a thread of its own. Lives from
 * the node's start to its stop ({@link #close}); thread-safe.
 */
final class NodeMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);

  private final Node node;
  private final MeterRegistry registry;
  private final Tags nodeTags;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private final Map<String, PeerTransportGauges> transports = new ConcurrentHashMap<>();
  private final Peers.Listener discovery;
  private final ScheduledExecutorService poller;
  private volatile boolean closed;

  NodeMetrics(Node node, MeterRegistry registry, Duration pollInterval) {
    this.node = node;
    this.registry = registry;
    this.nodeTags = Tags.of("runar.node", node.nodeId());
    for (PeerState state : PeerState.values()) {
      meters.add(
          Gauge.builder("runar.peers", node, n -> count(n, state))
              .description("peers this node knows of, by state")
              .baseUnit("peers")
              .tags(nodeTags)
              .tag("state", state.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    Counter found = discoveryCounter("discovered");
    Counter lost = discoveryCounter("lost");
    this.discovery =
        (previous, current) -> {
          if (previous == null) {
            found.increment();
          } else if (current == null) {
            lost.increment();
          }
        };
    node.peers().addListener(discovery);
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "runar-metrics-" + node.nodeId());
              t.setDaemon(true);
              return t;
            });
    long every = pollInterval.toMillis();
    poller.scheduleAtFixedRate(this::pollTransports, every, every, TimeUnit.MILLISECONDS);
  }

  private Counter discoveryCounter(String kind) {
    Counter counter =
        Counter.builder("runar.discovery.events")
            .description("peers discovery found, or lost")
            .baseUnit("events")
            .tags(nodeTags)
            .tag("kind", kind)
            .register(registry);
    meters.add(counter);
    return counter;
  }

  private static double count(Node node, PeerState state) {
    return node.peers().all().stream().filter(p -> p.state() == state).count();
  }

  private void pollTransports() {
    try {
      poll();
    } catch (RuntimeException e) { // a failed poll must not end the polling
      log.warn("could not read the transport figures of node {}", node.nodeId(), e);
    }
  }

  private void poll() {
    Set<String> connected =
        node.peers().all().stream()
            .filter(p -> p.state() == PeerState.CONNECTED)
            .map(Peer::nodeId)
            .collect(Collectors.toSet());
    transports.keySet().stream()
        .filter(id -> !connected.contains(id))
        .toList()
        .forEach(this::forget);
    for (String peerId : connected) {
      node.transportStats(peerId)
          .thenAccept(
              stats -> {
                if (closed) {
                  return;
                }
                stats.ifPresentOrElse(
                    s ->
                        transports
                            .computeIfAbsent(
                                peerId,
                                id ->
                                    new PeerTransportGauges(
                                        registry, nodeTags.and("runar.peer", id), s))
                            .update(s),
                    () -> forget(peerId));
              });
    }
  }

  private void forget(String peerId) {
    PeerTransportGauges gauges = transports.remove(peerId);
    if (gauges != null) {
      gauges.remove();
    }
  }

  @Override
  public void close() {
    closed = true;
    poller.shutdownNow();
    node.peers().removeListener(discovery);
    transports.keySet().forEach(this::forget);
    meters.forEach(registry::remove);
  }
}
