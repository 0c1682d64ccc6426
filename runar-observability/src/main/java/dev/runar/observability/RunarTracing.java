package dev.runar.observability;

import dev.runar.CallContext;
import dev.runar.ClientInterceptor;
import dev.runar.ServerInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Objects;

/**
 * OpenTelemetry traces for Runar nodes, turned on with one line: {@code
 * NodeConfig.builder().extension(RunarTracing.create(openTelemetry))}.
 *
 * <ul>
 *   <li>A {@code CLIENT} span for every call a node makes and a {@code SERVER} span for every call
 *       it serves, named {@code service/method}, with {@code rpc.system = runar}, {@code
 *       rpc.service}, {@code rpc.method} and {@code rpc.runar.status_code}; failures are marked as
 *       OpenTelemetry's RPC conventions mark gRPC's.
 *   <li>The trace context travels in the call's metadata, written and read by the {@code
 *       OpenTelemetry}'s propagators (W3C {@code traceparent} and {@code tracestate} for the usual
 *       setup), so a chain of calls across nodes is one trace. A call a handler makes is a child of
 *       the call it serves, with no code in the handler.
 *   <li>A {@code PRODUCER} span per event published, whose context the event carries in its
 *       metadata, and a {@code CONSUMER} span per delivery to a subscriber, linked to it, and
 *       current while the subscriber runs.
 * </ul>
 *
 * <p>Thread-safe; one instance may serve any number of nodes. See {@code docs/observability.md}.
 */
public final class RunarTracing extends InterceptingExtension {
  private final Tracing tracing;

  private RunarTracing(Tracing tracing) {
    super(
        List.<ClientInterceptor>of(tracing::interceptClient),
        List.<ServerInterceptor>of(tracing::interceptServer),
        List.of(tracing));
    this.tracing = tracing;
  }

  /** Traces through {@code openTelemetry}'s tracer provider and propagators. */
  public static RunarTracing create(OpenTelemetry openTelemetry) {
    return new RunarTracing(new Tracing(Objects.requireNonNull(openTelemetry, "openTelemetry")));
  }

  /**
   * The OpenTelemetry context of {@code call}'s server span while it is served, for a handler that
   * makes spans of its own: {@code try (Scope s = tracing.context(CallContext.current())
   * .makeCurrent()) { ... }}. {@link Context#current()} when the call is not traced here.
   */
  public Context context(CallContext call) {
    return tracing.serverContext(call).orElseGet(Context::current);
  }
}
