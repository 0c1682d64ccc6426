package dev.runar.benchmarks;

import dev.runar.NodeExtension;
import dev.runar.observability.RunarMetrics;
import dev.runar.observability.RunarObservability;
import dev.runar.observability.RunarTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;

/**
 * Metrics and tracing as a production node would run them, minus the network to a collector: a
 * Micrometer registry, and an OpenTelemetry SDK sampling every span into a batch processor whose
 * exporter drops what it is given.
 */
final class Observed {
  private Observed() {}

  static NodeExtension extension() {
    OpenTelemetrySdk openTelemetry =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setSampler(Sampler.alwaysOn())
                    .addSpanProcessor(BatchSpanProcessor.builder(new Dropping()).build())
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    RunarTracing tracing = RunarTracing.create(openTelemetry);
    RunarMetrics metrics = RunarMetrics.create(new SimpleMeterRegistry());
    // -Drunar.benchmarks.observe=metrics|tracing measures one half alone
    return switch (System.getProperty("runar.benchmarks.observe", "both")) {
      case "metrics" -> metrics;
      case "tracing" -> tracing;
      default -> RunarObservability.of(tracing, metrics);
    };
  }

  /** Takes every batch and keeps nothing. */
  private static final class Dropping implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
