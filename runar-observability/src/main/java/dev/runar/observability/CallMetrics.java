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
    return new Measure(started(meters(call.path(), call.type())), true);
  }

  private ServerCallListener interceptServer(CallContext call) {
    return new Measure(started(meters(call.method())), false);
  }

  private CallMeters started(CallMeters m) {
    m.started();
    active.incrementAndGet();
    return m;
  }

  /**
   * One call's measure, its listener on either side: a client sends requests and receives
   * responses, a server the other way round. The runtime closes a call's listener exactly once.
   */
  private final class Measure implements ClientCallListener, ServerCallListener {
    private final CallMeters meters;
    private final boolean client;
    private final long startNanos = System.nanoTime();

    Measure(CallMeters meters, boolean client) {
      this.meters = meters;
      this.client = client;
    }

    @Override
    public void onRequest(Message request) {
      if (client) {
        meters.sent(request);
      } else {
        meters.received(request);
      }
    }

    @Override
    public void onResponse(Message response) {
      if (client) {
        meters.received(response);
      } else {
        meters.sent(response);
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      onClose(status);
    }

    @Override
    public void onClose(Status status) {
      active.decrementAndGet();
      meters.completed(status.code(), System.nanoTime() - startNanos);
    }
  }
}
