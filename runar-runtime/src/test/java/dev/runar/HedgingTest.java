package dev.runar;

import static dev.runar.TestServices.assertFailsWith;
import static dev.runar.TestServices.await;
import static dev.runar.TestServices.eventually;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.StringValue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hedging, on one node and on three nodes over QUIC: a hedged idempotent call is answered by the
 * attempt that replies first and the others are cancelled; a method that is not idempotent is never
 * hedged.
 */
@Timeout(60)
class HedgingTest {
  private static final MethodDescriptor<StringValue, StringValue> LOOKUP =
      TestServices.method("dir", "lookup").withIdempotencyLevel(IdempotencyLevel.NO_SIDE_EFFECTS);
  private static final MethodDescriptor<StringValue, StringValue> PLAIN =
      TestServices.method("dir", "lookup");
  private static final ServiceConfig HEDGED =
      ServiceConfig.builder()
          .hedgingPolicy("dir", HedgingPolicy.of(3, Duration.ofMillis(50), Status.Code.UNAVAILABLE))
          .build();

  private final QuicNodes quic = new QuicNodes();
  private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
  private final List<Node> local = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    quic.close();
    local.forEach(Node::stop);
    delays.shutdownNow();
  }

  /** {@code dir/lookup}: its first call never replies (until cancelled), later ones at once. */
  private static ServiceDefinition firstHangs(
      MethodDescriptor<StringValue, StringValue> method,
      AtomicInteger runs,
      List<CallContext> hung) {
    return ServiceDefinition.builder("dir")
        .unary(
            method,
            (request, context) -> {
              if (runs.incrementAndGet() == 1) {
                hung.add(context);
                return new CompletableFuture<>();
              }
              return CompletableFuture.completedFuture(request);
            })
        .build();
  }

  @Test
  void theFirstReplyWinsAndTheHungAttemptIsCancelledOnOneNode() throws Exception {
    Node node = Node.create(NodeConfig.builder().serviceConfig(HEDGED).build()).start();
    local.add(node);
    AtomicInteger runs = new AtomicInteger();
    List<CallContext> hung = new CopyOnWriteArrayList<>();
    node.addService(firstHangs(LOOKUP, runs, hung));

    long start = System.nanoTime();
    assertEquals("a", await(node.call(LOOKUP, str("a"), CallOptions.DEFAULT)).getValue());
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis < 2_000, millis + " ms");
    assertEquals(2, runs.get());
    eventually(() -> hung.get(0).isCancelled());
  }

  @Test
  void aMethodThatIsNotIdempotentIsNeverHedged() throws Exception {
    Node node = Node.create(NodeConfig.builder().serviceConfig(HEDGED).build()).start();
    local.add(node);
    AtomicInteger runs = new AtomicInteger();
    node.addService(firstHangs(PLAIN, runs, new CopyOnWriteArrayList<>()));

    assertFailsWith(
        Status.Code.DEADLINE_EXCEEDED,
        node.call(PLAIN, str("a"), CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300))));
    assertEquals(1, runs.get());
  }

  @Test
  void aSlowProviderIsHedgedAgainstAFastOneOnThreeNodes() throws Exception {
    AtomicInteger slowRuns = new AtomicInteger();
    AtomicInteger fastRuns = new AtomicInteger();
    quic.start("slow").addService(delayed(slowRuns, Duration.ofSeconds(2)));
    quic.start("fast").addService(delayed(fastRuns, Duration.ZERO));
    Node caller = quic.start("caller", b -> b.serviceConfig(HEDGED));
    QuicNodes.awaitProvider(caller, "slow", "dir");
    QuicNodes.awaitProvider(caller, "fast", "dir");

    for (int i = 0; i < 6; i++) {
      long start = System.nanoTime();
      assertEquals("x", await(caller.call(LOOKUP, str("x"), CallOptions.DEFAULT)).getValue());
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < 1_000, "call " + i + " took " + millis + " ms");
    }
    assertEquals(6, fastRuns.get(), "every call was answered by the fast provider");
    assertTrue(slowRuns.get() >= 1, "round-robin sent some first attempts to the slow one");
  }

  private ServiceDefinition delayed(AtomicInteger runs, Duration delay) {
    return ServiceDefinition.builder("dir")
        .unary(
            LOOKUP,
            (request, context) -> {
              runs.incrementAndGet();
              CompletableFuture<StringValue> reply = new CompletableFuture<>();
              delays.schedule(
                  () -> reply.complete(request), delay.toMillis(), TimeUnit.MILLISECONDS);
              return reply;
            })
        .build();
  }
}
