package dev.runar.observability;

import com.google.protobuf.Message;
import dev.runar.CallContext;
import dev.runar.ClientCallInfo;
import dev.runar.ClientCallListener;
import dev.runar.EventDelivery;
import dev.runar.EventInterceptor;
import dev.runar.Metadata;
import dev.runar.MethodDescriptor;
import dev.runar.ServerCallListener;
import dev.runar.Status;
import dev.runar.registry.TopicPath;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spans of calls and events: a client span per call made (its context injected into the request
 * metadata), a server span per call served (its parent extracted from it), a producer span per
 * event published (its context in the event's metadata), and a consumer span per delivery, linked
 * to the producer. A call made while a handler serves a call is the child of that call's server
 * span, found through {@link CallContext#find()}, unless an OpenTelemetry span is current.
 * Thread-safe.
 */
final class Tracing implements EventInterceptor {
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> MESSAGING_OPERATION =
      AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> SUBSCRIPTION =
      AttributeKey.stringKey("messaging.destination.subscription.name");

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  // The server span of each call being served, for the calls its handler makes.
  private final Map<CallContext, Context> serving = new ConcurrentHashMap<>();
  private final Map<String, RpcName> calledNames = new ConcurrentHashMap<>();
  private final Map<MethodDescriptor<?, ?>, RpcName> servedNames = new ConcurrentHashMap<>();

  Tracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("dev.runar");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** The context new spans on this thread descend from. */
  Context parent() {
    Context current = Context.current();
    if (Span.fromContext(current).getSpanContext().isValid()) {
      return current;
    }
    return CallContext.find().flatMap(this::serverContext).orElse(current);
  }

  /** The context of {@code call}'s server span while it is being served. */
  Optional<Context> serverContext(CallContext call) {
    return Optional.ofNullable(serving.get(call));
  }

  ClientCallListener interceptClient(ClientCallInfo call) {
    Context parent = parent();
    Span span =
        rpcSpan(calledNames.computeIfAbsent(call.path(), RpcName::ofPath), SpanKind.CLIENT, parent);
    propagator.inject(parent.with(span), call.headers(), MetadataCarrier.SETTER);
    return new ClientCallListener() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        SpanStatus.end(span, SpanKind.CLIENT, status);
      }
    };
  }

  ServerCallListener interceptServer(CallContext call) {
    Context parent =
        propagator.extract(Context.root(), call.requestMetadata(), MetadataCarrier.GETTER);
    Span span =
        rpcSpan(servedNames.computeIfAbsent(call.method(), RpcName::of), SpanKind.SERVER, parent);
    serving.put(call, parent.with(span));
    return new ServerCallListener() {
      @Override
      public void onClose(Status status) {
        serving.remove(call);
        SpanStatus.end(span, SpanKind.SERVER, status);
      }
    };
  }

  private Span rpcSpan(RpcName name, SpanKind kind, Context parent) {
    return tracer
        .spanBuilder(name.fullName())
        .setSpanKind(kind)
        .setParent(parent)
        .setAttribute(RPC_SYSTEM, "runar")
        .setAttribute(RPC_SERVICE, name.service())
        .setAttribute(RPC_METHOD, name.method())
        .startSpan();
  }

  @Override
  public void onPublish(TopicPath topic, Message payload, Metadata.Builder metadata) {
    Context parent = parent();
    Span span =
        messagingSpan("publish", topic.actionPath(), SpanKind.PRODUCER)
            .setParent(parent)
            .setAttribute(MESSAGING_OPERATION, "send")
            .startSpan();
    propagator.inject(parent.with(span), metadata, MetadataCarrier.SETTER);
    span.end(); // publishing is done once every subscriber has it queued: now
  }

  @Override
  public void interceptDelivery(EventDelivery delivery) throws Exception {
    Context publisher =
        propagator.extract(Context.root(), delivery.event().metadata(), MetadataCarrier.GETTER);
    SpanContext published = Span.fromContext(publisher).getSpanContext();
    SpanBuilder builder =
        messagingSpan("process", delivery.event().topic().actionPath(), SpanKind.CONSUMER)
            .setNoParent()
            .setAttribute(MESSAGING_OPERATION, "process")
            .setAttribute(SUBSCRIPTION, delivery.subscriptionPattern());
    if (published.isValid()) {
      builder.addLink(published);
    }
    Span span = builder.startSpan();
    try (Scope scope = span.makeCurrent()) {
      delivery.proceed();
    } catch (Exception e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, "the subscriber failed");
      throw e;
    } finally {
      span.end();
    }
  }

  private SpanBuilder messagingSpan(String operation, String topic, SpanKind kind) {
    return tracer
        .spanBuilder(operation + " " + topic)
        .setSpanKind(kind)
        .setAttribute(MESSAGING_SYSTEM, "runar")
        .setAttribute(DESTINATION, topic);
  }
}
