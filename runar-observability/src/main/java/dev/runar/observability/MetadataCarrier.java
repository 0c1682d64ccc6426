package dev.runar.observability;

import dev.runar.Metadata;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * Runar metadata as an OpenTelemetry propagation carrier: trace context (W3C {@code traceparent},
 * {@code tracestate}, and whatever else the configured propagators use) is written into a call's or
 * event's metadata and read back from it. Stateless.
 */
final class MetadataCarrier {
  static final TextMapSetter<Metadata.Builder> SETTER =
      (carrier, key, value) -> {
        if (carrier != null) {
          carrier.put(key, value);
        }
      };

  static final TextMapGetter<Metadata> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Metadata carrier) {
          return carrier.strings().keySet();
        }

        @Override
        public String get(Metadata carrier, String key) {
          return carrier == null ? null : carrier.get(key).orElse(null);
        }
      };

  private MetadataCarrier() {}
}
