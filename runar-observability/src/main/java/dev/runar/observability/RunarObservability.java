package dev.runar.observability;

import com.google.common.collect.ImmutableList;
import dev.runar.Node;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;

/**
 * Metrics and traces together, with one line: {@code
 * NodeConfig.builder().extension(RunarObservability.create(registry, openTelemetry))}. Tracing is
 * the outer of the two, so the time a call spends being measured is inside its span. Thread-safe.
 *
 * @see RunarMetrics
 * @see RunarTracing
 */
public final class RunarObservability extends InterceptingExtension {
  private final RunarTracing tracing;
  private final RunarMetrics metrics;

  private RunarObservability(RunarTracing tracing, RunarMetrics metrics) {
    super(
        concat(tracing.clientInterceptors(), metrics.clientInterceptors()),
        concat(tracing.serverInterceptors(), metrics.serverInterceptors()),
        concat(tracing.eventInterceptors(), metrics.eventInterceptors()));
    this.tracing = tracing;
    this.metrics = metrics;
  }

  /**
   * {@link RunarTracing} through {@code openTelemetry} and {@link RunarMetrics} into {@code
   * registry}.
   */
  public static RunarObservability create(MeterRegistry registry, OpenTelemetry openTelemetry) {
    return of(RunarTracing.create(openTelemetry), RunarMetrics.create(registry));
  }

  /** The two, set up as you like. */
  public static RunarObservability of(RunarTracing tracing, RunarMetrics metrics) {
    return new RunarObservability(tracing, metrics);
  }

  /** The tracing half, e.g. for {@link RunarTracing#context}. */
  public RunarTracing tracing() {
    return tracing;
  }

  private static <T> List<T> concat(List<T> outer, List<T> inner) {
    return ImmutableList.<T>builder().addAll(outer).addAll(inner).build();
  }

  @Override
  public void onStart(Node node) {
    metrics.onStart(node);
  }

  @Override
  public void onStop(Node node) {
    metrics.onStop(node);
  }
}
