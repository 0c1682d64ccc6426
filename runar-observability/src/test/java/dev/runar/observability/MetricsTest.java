package dev.runar.observability;

import static dev.runar.TestServices.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.runar.CallContext;
import dev.runar.CallOptions;
import dev.runar.MethodDescriptor;
import dev.runar.Node;
import dev.runar.QuicNodes;
import dev.runar.ServiceDefinition;
import dev.runar.Status;
import dev.runar.TestServices;
import dev.runar.stub.BlockingSubscriber;
import dev.runar.stub.Publishers;
import dev.runar.stub.ServerCalls;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Micrometer metrics of real nodes over QUIC, each with a registry of its own, after a known number
 * of calls and events.
 */
@Timeout(60)
class MetricsTest {
  private static final MethodDescriptor<StringValue, StringValue> COUNT =
      MethodDescriptor.create(
          MethodDescriptor.MethodType.SERVER_STREAMING,
          "numbers",
          "count",
          StringValue.getDefaultInstance(),
          StringValue.getDefaultInstance());

  private final QuicNodes quic = new QuicNodes();
  private final SimpleMeterRegistry clientRegistry = new SimpleMeterRegistry();
  private final SimpleMeterRegistry serverRegistry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    quic.close();
  }

  private static ServiceDefinition numbers() {
    return ServiceDefinition.builder("numbers")
        .unary(
            method("numbers", "echo"),
            (StringValue req, CallContext ctx) -> {
              if (req.getValue().equals("fail")) {
                throw Status.INVALID_ARGUMENT.withDescription("no").asException();
              }
              return CompletableFuture.completedFuture(req);
            })
        .streaming(
            COUNT,
            (requests, ctx) -> {
              String prefix = ServerCalls.single(requests).getValue();
              return Publishers.fromIterable(
                  IntStream.range(0, 7).mapToObj(i -> StringValue.of(prefix + i)).toList());
            })
        .build();
  }

  private static double count(SimpleMeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private static Timer timer(SimpleMeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags(tags).timer();
  }

  @Test
  void callsMessagesAndBytesAreCountedAndTimedPerMethodAndStatusOnBothSides() throws Exception {
    Node server =
        quic.start(
            "server",
            b ->
                b.extension(
                    RunarMetrics.builder(serverRegistry)
                        .transportPollInterval(Duration.ofMillis(100))
                        .build()));
    server.addService(numbers());
    Node client =
        quic.start(
            "client",
            b ->
                b.extension(
                    RunarMetrics.builder(clientRegistry)
                        .transportPollInterval(Duration.ofMillis(100))
                        .build()));
    QuicNodes.awaitProvider(client, "server", "numbers");

    for (int i = 0; i < 5; i++) {
      client
          .call(method("numbers", "echo"), StringValue.of("hello " + i), CallOptions.DEFAULT)
          .get(10, TimeUnit.SECONDS);
    }
    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () ->
                client
                    .call(method("numbers", "echo"), StringValue.of("fail"), CallOptions.DEFAULT)
                    .get(10, TimeUnit.SECONDS));
    assertTrue(failed.getCause().getMessage().contains("no"));
    List<StringValue> counted = new java.util.ArrayList<>();
    try (BlockingSubscriber<StringValue> stream =
        BlockingSubscriber.subscribe(
            client.stream(COUNT, Publishers.just(StringValue.of("go")), CallOptions.DEFAULT))) {
      stream.forEachRemaining(counted::add);
    }
    assertEquals(7, counted.size());

    String[] echo = {"rpc.service", "numbers", "rpc.method", "echo", "rpc.type", "unary"};
    String[] stream = {"rpc.service", "numbers", "rpc.method", "count"};
    for (SimpleMeterRegistry registry : List.of(clientRegistry, serverRegistry)) {
      String side = registry == clientRegistry ? "runar.client." : "runar.server.";
      assertEquals(6, count(registry, side + "calls.started", echo), side);
      String[] echoOk = {"rpc.method", "echo", "rpc.type", "unary", "rpc.status", "OK"};
      assertEquals(5, timer(registry, side + "calls", echoOk).count(), side);
      assertEquals(1, timer(registry, side + "calls", "rpc.status", "INVALID_ARGUMENT").count());
      assertEquals(
          1, timer(registry, side + "calls", "rpc.status", "OK", "rpc.method", "count").count());
      assertTrue(timer(registry, side + "calls", echoOk).totalTime(TimeUnit.NANOSECONDS) > 0);
      assertEquals(0, registry.get(side + "calls.active").gauge().value(), side);
    }
    // the client sends 6 echo requests and 1 stream request; it receives 5 echoes and 7 counts
    assertEquals(6, count(clientRegistry, "runar.client.messages.sent", echo));
    assertEquals(5, count(clientRegistry, "runar.client.messages.received", echo));
    assertEquals(7, count(clientRegistry, "runar.client.messages.received", stream));
    assertEquals(7, count(serverRegistry, "runar.server.messages.sent", stream));
    assertEquals(1, count(serverRegistry, "runar.server.messages.received", stream));
    double echoBytes =
        IntStream.range(0, 5).map(i -> StringValue.of("hello " + i).getSerializedSize()).sum();
    assertEquals(
        echoBytes + StringValue.of("fail").getSerializedSize(),
        count(clientRegistry, "runar.client.bytes.sent", echo));
    assertEquals(echoBytes, count(serverRegistry, "runar.server.bytes.sent", echo));

    // node figures
    String[] clientNode = {"runar.node", "client"};
    assertEquals(
        1,
        clientRegistry
            .get("runar.peers")
            .tags(clientNode)
            .tag("state", "connected")
            .gauge()
            .value());
    assertTrue(
        count(
                clientRegistry,
                "runar.discovery.events",
                "runar.node",
                "client",
                "kind",
                "discovered")
            >= 1);
    TestServices.eventually(
        () ->
            clientRegistry.find("runar.transport.rtt").tags("runar.peer", "server").timeGauge()
                != null);
    assertTrue(
        clientRegistry
                .get("runar.transport.rtt")
                .tags("runar.peer", "server")
                .timeGauge()
                .value(TimeUnit.NANOSECONDS)
            > 0);
    // The gauges read the last poll (every 100 ms), which may have come before the calls.
    TestServices.eventually(
        () -> {
          Gauge sent =
              clientRegistry
                  .find("runar.transport.packets.sent")
                  .tags("runar.peer", "server")
                  .gauge();
          return sent != null && sent.value() >= 13;
        });

    client.stop();
    for (String name : List.of("runar.peers", "runar.transport.rtt", "runar.discovery.events")) {
      List<Meter> left =
          clientRegistry.getMeters().stream()
              .filter(m -> m.getId().getName().equals(name))
              .toList();
      assertEquals(List.of(), left, "a stopped node's figures are removed: " + name);
    }
  }

  @Test
  void eventsPublishedDeliveredAndFailedAreCounted() throws Exception {
    Node node = quic.start("solo", b -> b.extension(RunarMetrics.create(clientRegistry)));
    java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(4);
    node.subscribe(
        "jobs/>",
        e -> {
          handled.countDown();
          if (e.payload(StringValue.class).getValue().equals("bad")) {
            throw new IllegalStateException("subscriber bug");
          }
        });
    for (String job : List.of("a", "b", "bad", "c")) {
      node.publish("jobs/new", StringValue.of(job));
    }
    assertTrue(handled.await(10, TimeUnit.SECONDS));
    String pattern = node.config().networkId() + ":jobs/>";
    TestServices.eventually(
        () ->
            clientRegistry.find("runar.events.delivered").timers().stream()
                    .mapToLong(Timer::count)
                    .sum()
                == 4); // every delivery recorded once its handler returned
    assertEquals(4, count(clientRegistry, "runar.events.published"));
    assertEquals(
        3,
        timer(clientRegistry, "runar.events.delivered", "subscription", pattern, "outcome", "ok")
            .count());
    assertEquals(
        1,
        timer(clientRegistry, "runar.events.delivered", "subscription", pattern, "outcome", "error")
            .count());
    assertEquals(0, count(clientRegistry, "runar.events.dropped"));
    assertNull(
        clientRegistry.find("runar.transport.rtt").meter(), "no peers, no transport figures");
  }
}
