package dev.runar.observability;

import com.google.protobuf.Message;
import dev.runar.CallContext;
import dev.runar.ClientCallInfo;
import dev.runar.ClientCallListener;
import dev.runar.ClientInterceptor;
import dev.runar.Metadata;
import dev.runar.MethodDescriptor;
import dev.runar.MethodDescriptor.MethodType;
import dev.runar.ServerCallListener;
import dev.runar.ServerInterceptor;
import dev.runar.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-method call metrics on one side: a client or a server interceptor that counts calls started,
 * times calls completed by status, counts messages and bytes, and keeps a gauge of calls in flight.
 * Thread-safe: one instance serves every call of the nodes it is installed on.
 */
final class CallMetrics {
  private final MeterRegistry registry;
  private final String side;
  private final AtomicInteger active = new AtomicInteger();
  // By what the interceptor has at hand, so that finding a call's meters allocates nothing: the
  // path as called (client), or the method (server).
  private final Map<MethodType, ConcurrentMap<String, CallMeters>> byPath =
      new EnumMap<>(MethodType.class);
  private final ConcurrentMap<MethodDescriptor<?, ?>, CallMeters> byMethod =
      new ConcurrentHashMap<>();

  private CallMetrics(MeterRegistry registry, String side) {
    this.registry = registry;
    this.side = side;
    for (MethodType type : MethodType.values()) {
      byPath.put(type, new ConcurrentHashMap<>());
    }
    Gauge.builder("runar." + side + ".calls.active", active, AtomicInteger::get)
        .description("calls in flight")
        .baseUnit("calls")
        .register(registry);
  }

  static ClientInterceptor client(MeterRegistry registry) {
    CallMetrics metrics = new CallMetrics(registry, "client");
    return metrics::interceptClient;
  }

  static ServerInterceptor server(MeterRegistry registry) {
    CallMetrics metrics = new CallMetrics(registry, "server");
    return metrics::interceptServer;
  }

  private CallMeters meters(String path, MethodType type) {
    return byPath
        .get(type)
        .computeIfAbsent(path, p -> new CallMeters(registry, side, RpcName.ofPath(p), type));
  }

  private CallMeters meters(MethodDescriptor<?, ?> method) {
    return byMethod.computeIfAbsent(
        method, m -> new CallMeters(registry, side, RpcName.of(m), m.type()));
  }

  private ClientCallListener interceptClient(ClientCallInfo call) {
    CallMeters m = meters(call.path(), call.type());
    Timing timing = start(m);
    return new ClientCallListener() {
      @Override
      public void onRequest(Message request) {
        m.sent(request);
      }

      @Override
      public void onResponse(Message response) {
        m.received(response);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        timing.end(status);
      }
    };
  }

  private ServerCallListener interceptServer(CallContext call) {
    CallMeters m = meters(call.method());
    Timing timing = start(m);
    return new ServerCallListener() {
      @Override
      public void onRequest(Message request) {
        m.received(request);
      }

      @Override
      public void onResponse(Message response) {
        m.sent(response);
      }

      @Override
      public void onClose(Status status) {
        timing.end(status);
      }
    };
  }

  private Timing start(CallMeters m) {
    m.started();
    active.incrementAndGet();
    return new Timing(m, System.nanoTime());
  }

  /** One call's clock: ends once, however often its close is reported. */
  private final class Timing {
    private final CallMeters meters;
    private final long startNanos;
    private final AtomicBoolean ended = new AtomicBoolean();

    Timing(CallMeters meters, long startNanos) {
      this.meters = meters;
      this.startNanos = startNanos;
    }

    void end(Status status) {
      if (ended.compareAndSet(false, true)) {
        active.decrementAndGet();
        meters.completed(status.code(), System.nanoTime() - startNanos);
      }
    }
  }
}
