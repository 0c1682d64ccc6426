package dev.runar.observability;

import dev.runar.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.EnumSet;
import java.util.Set;

/**
 * Ends a call's span with its status, as OpenTelemetry's RPC conventions do for gRPC: the code as
 * {@code rpc.runar.status_code}; a client span is an error for any status but OK, a server span
 * only for codes that mean the server failed. Stateless.
 */
final class SpanStatus {
  static final AttributeKey<Long> STATUS_CODE = AttributeKey.longKey("rpc.runar.status_code");

  private static final Set<Status.Code> SERVER_ERRORS =
      EnumSet.of(
          Status.Code.UNKNOWN,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.UNIMPLEMENTED,
          Status.Code.INTERNAL,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  private SpanStatus() {}

  static void end(Span span, SpanKind kind, Status status) {
    span.setAttribute(STATUS_CODE, (long) status.code().value());
    boolean error =
        kind == SpanKind.SERVER ? SERVER_ERRORS.contains(status.code()) : !status.isOk();
    if (error) {
      span.setStatus(
          StatusCode.ERROR,
          status.description() == null
              ? status.code().name()
              : status.code() + ": " + status.description());
    }
    span.end();
  }
}
