package dev.runar.observability;

import com.google.protobuf.Message;
import dev.runar.MethodDescriptor.MethodType;
import dev.runar.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters of one method on one side (client or server): calls started, calls completed (a timer
 * per status), messages and bytes sent and received. Thread-safe.
 */
final class CallMeters {
  private final MeterRegistry registry;
  private final String prefix;
  private final Tags tags;
  private final Counter started;
  private final Counter messagesSent;
  private final Counter messagesReceived;
  private final Counter bytesSent;
  private final Counter bytesReceived;
  private final AtomicReferenceArray<Timer> completed =
      new AtomicReferenceArray<>(Status.Code.values().length);

  CallMeters(MeterRegistry registry, String side, RpcName name, MethodType type) {
    this.registry = registry;
    this.prefix = "runar." + side + ".";
    this.tags =
        Tags.of(
            "rpc.system", "runar",
            "rpc.service", name.service(),
            "rpc.method", name.method(),
            "rpc.type", type.name().toLowerCase(Locale.ROOT));
    this.started = counter("calls.started", "calls started", "calls");
    this.messagesSent = counter("messages.sent", "request or response messages sent", "messages");
    this.messagesReceived =
        counter("messages.received", "request or response messages received", "messages");
    this.bytesSent = counter("bytes.sent", "serialized message bytes sent", "bytes");
    this.bytesReceived = counter("bytes.received", "serialized message bytes received", "bytes");
  }

  private Counter counter(String name, String description, String unit) {
    return Counter.builder(prefix + name)
        .description(description)
        .baseUnit(unit)
        .tags(tags)
        .register(registry);
  }

  void started() {
    started.increment();
  }

  void sent(Message message) {
    messagesSent.increment();
    bytesSent.increment(message.getSerializedSize());
  }

  void received(Message message) {
    messagesReceived.increment();
    bytesReceived.increment(message.getSerializedSize());
  }

  void completed(Status.Code code, long nanos) {
    Timer timer = completed.get(code.ordinal());
    if (timer == null) { // registering is idempotent: a race registers the same timer twice
      timer =
          Timer.builder(prefix + "calls")
              .description("calls completed, by status, and how long they took")
              .tags(tags)
              .tag("rpc.status", code.name())
              .publishPercentileHistogram()
              .register(registry);
      completed.set(code.ordinal(), timer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
