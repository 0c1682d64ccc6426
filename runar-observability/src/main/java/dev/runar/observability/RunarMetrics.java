package dev.runar.observability;

import com.google.common.base.Preconditions;
import dev.runar.Node;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer metrics for Runar nodes, turned on with one line: {@code
 * NodeConfig.builder().extension(RunarMetrics.create(registry))}.
 *
 * <ul>
 *   <li>Calls, per method ({@code rpc.service}, {@code rpc.method}, {@code rpc.type}), as client
 *       ({@code runar.client.*}) and as server ({@code runar.server.*}): {@code calls.started},
 *       {@code calls} (a timer with latency histogram, by {@code rpc.status}), {@code
 *       messages.sent}/{@code received}, {@code bytes.sent}/{@code received}, and {@code
 *       calls.active} (in flight).
 *   <li>Events: {@code runar.events.published}, {@code runar.events.delivered} (a timer, by {@code
 *       subscription} and {@code outcome}), {@code runar.events.dropped}.
 *   <li>Per node (tag {@code runar.node}): {@code runar.peers} by {@code state}, {@code
 *       runar.discovery.events} by {@code kind} (discovered, lost), and per connected peer (tag
 *       {@code runar.peer}) the transport's figures: {@code runar.transport.rtt}, {@code
 *       congestion.window}, {@code packets.sent}/{@code received}/{@code lost}, {@code
 *       bytes.sent}/{@code received}/{@code lost}, polled every {@link
 *       Builder#transportPollInterval transport poll interval}.
 * </ul>
 *
 * <p>The call and event figures of nodes sharing one instance add up; give each node its own
 * instance (or registry) to tell them apart. Thread-safe; see {@code docs/observability.md}.
 */
public final class RunarMetrics extends InterceptingExtension {
  private final MeterRegistry registry;
  private final Duration transportPollInterval;
  private final Map<Node, NodeMetrics> nodes = new ConcurrentHashMap<>();

  private RunarMetrics(Builder builder) {
    super(
        List.of(CallMetrics.client(builder.registry)),
        List.of(CallMetrics.server(builder.registry)),
        List.of(new EventMetrics(builder.registry)));
    this.registry = builder.registry;
    this.transportPollInterval = builder.transportPollInterval;
  }

  /** Metrics into {@code registry}, with the default settings. */
  public static RunarMetrics create(MeterRegistry registry) {
    return builder(registry).build();
  }

  /** A builder of metrics into {@code registry}. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  @Override
  public void onStart(Node node) {
    nodes.computeIfAbsent(node, n -> new NodeMetrics(n, registry, transportPollInterval));
  }

  @Override
  public void onStop(Node node) {
    NodeMetrics metrics = nodes.remove(node);
    if (metrics != null) {
      metrics.close();
    }
  }

  /** Builds {@link RunarMetrics}. Not thread-safe. */
  public static final class Builder {
    private final MeterRegistry registry;
    private Duration transportPollInterval = Duration.ofSeconds(10);

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** How often the transport figures of connected peers are read. Default: 10 seconds. */
    public Builder transportPollInterval(Duration interval) {
      Preconditions.checkArgument(
          interval.toMillis() > 0, "the poll interval must be at least a millisecond");
      this.transportPollInterval = interval;
      return this;
    }

    public RunarMetrics build() {
      return new RunarMetrics(this);
    }
  }
}
