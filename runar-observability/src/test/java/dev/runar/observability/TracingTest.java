package dev.runar.observability;

import static dev.runar.TestServices.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.runar.CallContext;
import dev.runar.CallOptions;
import dev.runar.Node;
import dev.runar.QuicNodes;
import dev.runar.ServiceDefinition;
import dev.runar.Status;
import dev.runar.StatusException;
import dev.runar.TestServices;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Traces across real nodes over QUIC: each node has its own {@link RunarTracing}; the spans go to
 * one in-memory exporter, as they would go to one collector from three processes. Nothing but call
 * and event metadata carries the trace from node to node.
 */
@Timeout(60)
class TracingTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk openTelemetry =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private final QuicNodes quic = new QuicNodes();

  @AfterEach
  void close() {
    quic.close();
    openTelemetry.close();
  }

  private Node node(String id) {
    return quic.start(id, b -> b.extension(RunarTracing.create(openTelemetry)));
  }

  private static SpanData only(List<SpanData> all, SpanKind kind, String name) {
    List<SpanData> found =
        all.stream().filter(s -> s.getKind() == kind && s.getName().equals(name)).toList();
    assertEquals(1, found.size(), kind + " " + name + " in " + all);
    return found.get(0);
  }

  @Test
  void aChainOfCallsAcrossThreeNodesIsOneTraceOfLinkedClientAndServerSpans() throws Exception {
    BlockingQueue<String> traceparentAtC = new LinkedBlockingQueue<>();
    Node c = node("c");
    c.addService(
        ServiceDefinition.builder("c")
            .unary(
                method("c", "work"),
                (StringValue req, CallContext ctx) -> {
                  traceparentAtC.add(ctx.requestMetadata().get("traceparent").orElse("none"));
                  return CompletableFuture.completedFuture(StringValue.of(req.getValue() + "+c"));
                })
            .build());
    Node b = node("b");
    b.addService(
        ServiceDefinition.builder("b")
            .unary(
                method("b", "relay"),
                (StringValue req, CallContext ctx) ->
                    b.call(
                        method("c", "work"),
                        StringValue.of(req.getValue() + "+b"),
                        CallOptions.DEFAULT))
            .build());
    Node a = node("a");
    QuicNodes.awaitProvider(b, "c", "c");
    QuicNodes.awaitProvider(a, "b", "b");
    spans.reset();

    StringValue reply =
        a.call(method("b", "relay"), StringValue.of("a"), CallOptions.DEFAULT)
            .get(10, TimeUnit.SECONDS);
    assertEquals("a+b+c", reply.getValue());

    List<SpanData> all = spans.getFinishedSpanItems();
    assertEquals(4, all.size(), all.toString());
    SpanData aClient = only(all, SpanKind.CLIENT, "b/relay");
    SpanData bServer = only(all, SpanKind.SERVER, "b/relay");
    SpanData bClient = only(all, SpanKind.CLIENT, "c/work");
    SpanData cServer = only(all, SpanKind.SERVER, "c/work");
    String trace = aClient.getTraceId();
    for (SpanData span : all) {
      assertEquals(trace, span.getTraceId(), "one trace: " + span);
      assertEquals("runar", span.getAttributes().get(Tracing.RPC_SYSTEM));
      assertEquals(0L, span.getAttributes().get(SpanStatus.STATUS_CODE));
      assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    }
    assertEquals(Span.getInvalid().getSpanContext().getSpanId(), aClient.getParentSpanId());
    assertEquals(aClient.getSpanId(), bServer.getParentSpanId());
    assertEquals(bServer.getSpanId(), bClient.getParentSpanId(), "the handler's call is a child");
    assertEquals(bClient.getSpanId(), cServer.getParentSpanId());
    assertEquals("c", cServer.getAttributes().get(Tracing.RPC_SERVICE));
    assertEquals("work", cServer.getAttributes().get(Tracing.RPC_METHOD));
    String traceparent = traceparentAtC.poll(1, TimeUnit.SECONDS);
    assertTrue(
        traceparent.startsWith("00-" + trace + "-" + bClient.getSpanId() + "-"),
        "W3C trace context in the call's metadata: " + traceparent);
  }

  @Test
  void aFailedCallIsMarkedWithItsStatusOnBothSides() throws Exception {
    Node server = node("server");
    server.addService(
        ServiceDefinition.builder("files")
            .unary(
                method("files", "read"),
                (StringValue req, CallContext ctx) -> {
                  Status status =
                      req.getValue().equals("missing")
                          ? Status.NOT_FOUND.withDescription("no such file")
                          : Status.INTERNAL.withDescription("disk on fire");
                  throw status.asException();
                })
            .build());
    Node client = node("client");
    QuicNodes.awaitProvider(client, "server", "files");

    for (String what : List.of("missing", "broken")) {
      spans.reset();
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () ->
                  client
                      .call(method("files", "read"), StringValue.of(what), CallOptions.DEFAULT)
                      .get(10, TimeUnit.SECONDS));
      Status.Code code = ((StatusException) e.getCause()).code();
      List<SpanData> all = spans.getFinishedSpanItems();
      SpanData clientSpan = only(all, SpanKind.CLIENT, "files/read");
      SpanData serverSpan = only(all, SpanKind.SERVER, "files/read");
      assertEquals((long) code.value(), clientSpan.getAttributes().get(SpanStatus.STATUS_CODE));
      assertEquals((long) code.value(), serverSpan.getAttributes().get(SpanStatus.STATUS_CODE));
      assertEquals(StatusCode.ERROR, clientSpan.getStatus().getStatusCode());
      assertTrue(clientSpan.getStatus().getDescription().startsWith(code.name()));
      // as for gRPC: NOT_FOUND is the client's problem, INTERNAL the server's
      assertEquals(
          code == Status.Code.INTERNAL ? StatusCode.ERROR : StatusCode.UNSET,
          serverSpan.getStatus().getStatusCode(),
          what);
    }
  }

  @Test
  void anEventsDeliverySpansLinkToThePublishersSpanLocallyAndRemotely() throws Exception {
    Node publisher = node("publisher");
    Node subscriber = node("subscriber");
    BlockingQueue<String> remote = new LinkedBlockingQueue<>();
    BlockingQueue<String> local = new LinkedBlockingQueue<>();
    subscriber.subscribe("orders/>", e -> remote.add(Span.current().getSpanContext().getTraceId()));
    publisher.subscribe("orders/>", e -> local.add(Span.current().getSpanContext().getTraceId()));
    TestServices.eventually(
        () -> {
          publisher.publish("orders/probe", StringValue.of("probe"));
          return remote.poll(100, TimeUnit.MILLISECONDS) != null;
        });
    TestServices.eventually(() -> local.size() > 0);
    Thread.sleep(200); // the probes' spans end
    local.clear();
    remote.clear();
    spans.reset();

    Tracer tracer = openTelemetry.getTracer("test");
    Span work = tracer.spanBuilder("checkout").startSpan();
    try (Scope scope = work.makeCurrent()) {
      publisher.publish("orders/placed", StringValue.of("order 7"));
    } finally {
      work.end();
    }
    String remoteTrace = remote.poll(10, TimeUnit.SECONDS);
    String localTrace = local.poll(10, TimeUnit.SECONDS);
    TestServices.eventually(() -> spans.getFinishedSpanItems().size() == 4);

    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData producer = only(all, SpanKind.PRODUCER, "publish orders/placed");
    assertEquals(work.getSpanContext().getSpanId(), producer.getParentSpanId());
    List<SpanData> deliveries = all.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList();
    assertEquals(2, deliveries.size(), all.toString());
    for (SpanData delivery : deliveries) {
      assertEquals("process orders/placed", delivery.getName());
      assertEquals(1, delivery.getLinks().size());
      assertEquals(producer.getTraceId(), delivery.getLinks().get(0).getSpanContext().getTraceId());
      assertEquals(producer.getSpanId(), delivery.getLinks().get(0).getSpanContext().getSpanId());
      assertEquals("runar", delivery.getAttributes().get(Tracing.MESSAGING_SYSTEM));
      assertEquals("orders/placed", delivery.getAttributes().get(Tracing.DESTINATION));
    }
    assertEquals(
        deliveries.stream().map(SpanData::getTraceId).sorted().toList(),
        Optional.of(List.of(localTrace, remoteTrace)).map(l -> l.stream().sorted().toList()).get(),
        "each delivery span is current while its subscriber runs");
  }
}
