package dev.runar.observability;

import com.google.common.collect.ImmutableList;
import dev.runar.network.TransportStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The transport gauges of one peer connection (RTT, congestion window, packets and bytes sent,
 * received and lost since the connection opened), reading the figures last polled. Thread-safe.
 */
final class PeerTransportGauges {
  private final MeterRegistry registry;
  private final ImmutableList<Meter> meters;
  private volatile TransportStats latest;

  PeerTransportGauges(MeterRegistry registry, Tags tags, TransportStats first) {
    this.registry = registry;
    this.latest = first;
    this.meters =
        ImmutableList.of(
            TimeGauge.builder(
                    "runar.transport.rtt",
                    this,
                    TimeUnit.NANOSECONDS,
                    g -> g.latest.rtt().toNanos())
                .description("smoothed round-trip time to the peer")
                .tags(tags)
                .register(registry),
            gauge(
                "runar.transport.congestion.window", "bytes", tags, s -> s.congestionWindowBytes()),
            gauge("runar.transport.packets.sent", "packets", tags, s -> s.packetsSent()),
            gauge("runar.transport.packets.received", "packets", tags, s -> s.packetsReceived()),
            gauge("runar.transport.packets.lost", "packets", tags, s -> s.packetsLost()),
            gauge("runar.transport.bytes.sent", "bytes", tags, s -> s.bytesSent()),
            gauge("runar.transport.bytes.received", "bytes", tags, s -> s.bytesReceived()),
            gauge("runar.transport.bytes.lost", "bytes", tags, s -> s.bytesLost()));
  }

  private Gauge gauge(
      String name, String unit, Tags tags, ToDoubleFunction<TransportStats> figure) {
    return Gauge.builder(name, this, g -> figure.applyAsDouble(g.latest))
        .description("as the transport counts it on the current connection to the peer")
        .baseUnit(unit)
        .tags(tags)
        .register(registry);
  }

  void update(TransportStats stats) {
    latest = stats;
  }

  void remove() {
    meters.forEach(registry::remove);
  }
}
