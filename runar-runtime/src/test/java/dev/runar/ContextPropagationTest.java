package dev.runar;

import static dev.runar.TestServices.await;
import static dev.runar.TestServices.method;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.runar.stub.ClientCalls;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A call made while handling a call is its child, across any number of hops, on one node and on
 * three nodes over QUIC: A calls B's {@code middle}, whose handler calls C's {@code leaf}.
 */
class ContextPropagationTest {
  private static final MethodDescriptor<StringValue, StringValue> WAIT = method("leaf", "wait");
  private static final MethodDescriptor<StringValue, StringValue> LEFT = method("leaf", "left");
  private static final MethodDescriptor<StringValue, StringValue> LEAF_PING =
      method("leaf", "ping");
  private static final MethodDescriptor<StringValue, StringValue> RELAY = method("middle", "relay");
  private static final MethodDescriptor<StringValue, StringValue> SPAWN = method("middle", "spawn");
  private static final MethodDescriptor<StringValue, StringValue> HOP = method("middle", "hop");
  private static final MethodDescriptor<StringValue, StringValue> MIDDLE_PING =
      method("middle", "ping");
  private static final long TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final ExecutorService userExecutor = Executors.newCachedThreadPool();
  private Topology topology;

  // What the leaf saw.
  private final CountDownLatch leafStarted = new CountDownLatch(1);
  private final CountDownLatch leafCancelled = new CountDownLatch(1);
  private volatile Duration leafDeadlineLeft;
  private volatile long leafCancelledAt;
  private volatile Status leafCancelStatus;

  // What the middle saw.
  private final CountDownLatch middleReturned = new CountDownLatch(1);
  private volatile long middleReturnedAt;
  private volatile Status middleStatus;
  private volatile CompletableFuture<StringValue> attached;
  private volatile CompletableFuture<StringValue> detached;

  @AfterEach
  void stop() {
    if (topology != null) {
      topology.close();
    }
    userExecutor.shutdownNow();
  }

  private void start(Topology.Mode mode) throws Exception {
    topology = new Topology(mode);
    Node middleNode = topology.middle();
    ServiceDefinition leaf =
        ServiceDefinition.builder("leaf")
            .unary(LEAF_PING, (req, ctx) -> CompletableFuture.completedFuture(req))
            .unary(
                WAIT,
                (req, ctx) -> {
                  leafDeadlineLeft = ctx.deadline().timeRemaining();
                  ctx.addCancellationListener(
                      s -> {
                        leafCancelledAt = System.nanoTime();
                        leafCancelStatus = s;
                        leafCancelled.countDown();
                      });
                  leafStarted.countDown();
                  if (req.getValue().startsWith("reply-after:")) {
                    long ms = Long.parseLong(req.getValue().substring("reply-after:".length()));
                    return CompletableFuture.supplyAsync(
                        () -> str("done"),
                        CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
                  }
                  return new CompletableFuture<>(); // never replies: only cancellation ends it
                })
            .unary(
                LEFT,
                (req, ctx) ->
                    CompletableFuture.completedFuture(
                        str(Long.toString(ctx.deadline().timeRemaining().toMillis()))))
            .build();
    ServiceDefinition middle =
        ServiceDefinition.builder("middle")
            .unary(MIDDLE_PING, (req, ctx) -> CompletableFuture.completedFuture(req))
            .unary(
                RELAY,
                (req, ctx) -> {
                  // A blocking stub with default options, as the issue measured.
                  try {
                    return CompletableFuture.completedFuture(
                        ClientCalls.blockingUnary(middleNode, WAIT, req, CallOptions.DEFAULT));
                  } catch (StatusException e) {
                    middleReturnedAt = System.nanoTime();
                    middleStatus = e.status();
                    middleReturned.countDown();
                    throw e;
                  }
                })
            .unary(
                SPAWN,
                (req, ctx) -> {
                  StringValue slow = str("reply-after:300");
                  attached = middleNode.call(WAIT, slow, CallOptions.DEFAULT);
                  CallContext.runDetached(
                      () -> detached = middleNode.call(WAIT, slow, CallOptions.DEFAULT));
                  return CompletableFuture.completedFuture(str("spawned"));
                })
            .unary(
                HOP,
                (req, ctx) -> {
                  // Work handed to a user executor carries the context only when wrapped.
                  java.util.concurrent.Executor executor =
                      req.getValue().equals("wrapped") ? ctx.wrap(userExecutor) : userExecutor;
                  return CompletableFuture.supplyAsync(
                      () -> ClientCalls.blockingUnary(middleNode, LEFT, req, CallOptions.DEFAULT),
                      executor);
                })
            .build();
    topology.addAndAwait(topology.leaf(), leaf, LEAF_PING);
    topology.addAndAwait(topology.middle(), middle, MIDDLE_PING);
  }

  @ParameterizedTest
  @EnumSource(Topology.Mode.class)
  void aDeadlineCrossesEveryHopAndEndsTheWholeChain(Topology.Mode mode) throws Exception {
    start(mode);
    long started = System.nanoTime();
    CompletableFuture<StringValue> call =
        topology
            .caller()
            .call(RELAY, str("wait"), CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
    ExecutionException failure =
        assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
    long failedAt = System.nanoTime();
    assertEquals(Status.Code.DEADLINE_EXCEEDED, Status.fromThrowable(failure).code());
    assertTrue(failedAt - started >= TimeUnit.MILLISECONDS.toNanos(290), "failed early");

    assertTrue(leafStarted.await(1, TimeUnit.SECONDS));
    assertTrue(
        leafDeadlineLeft.compareTo(Duration.ofMillis(300)) <= 0
            && leafDeadlineLeft.compareTo(Duration.ofMillis(100)) > 0,
        "the leaf sees the caller's deadline, not its default 30 s: " + leafDeadlineLeft);
    assertTrue(leafCancelled.await(1, TimeUnit.SECONDS), "the leaf was never cancelled");
    assertTrue(
        leafCancelledAt - failedAt <= TOLERANCE_NANOS,
        "leaf cancelled " + TimeUnit.NANOSECONDS.toMillis(leafCancelledAt - failedAt) + " ms late");
    assertTrue(
        Set.of(Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED)
            .contains(leafCancelStatus.code()),
        leafCancelStatus::toString);
    assertTrue(middleReturned.await(1, TimeUnit.SECONDS), "the middle's stub never returned");
    assertTrue(
        middleReturnedAt - failedAt <= TOLERANCE_NANOS,
        "the middle's blocking stub returned "
            + TimeUnit.NANOSECONDS.toMillis(middleReturnedAt - failedAt)
            + " ms after the caller failed");
    // Its own (inherited) deadline, or the caller's cancel when that arrives first.
    assertTrue(
        Set.of(Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED).contains(middleStatus.code()),
        middleStatus::toString);
  }

  @ParameterizedTest
  @EnumSource(Topology.Mode.class)
  void cancellingTheCallerCancelsEveryHop(Topology.Mode mode) throws Exception {
    start(mode);
    CompletableFuture<StringValue> call =
        topology
            .caller()
            .call(RELAY, str("wait"), CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)));
    assertTrue(leafStarted.await(5, TimeUnit.SECONDS));
    long cancelledAt = System.nanoTime();
    call.cancel(true);

    assertTrue(leafCancelled.await(1, TimeUnit.SECONDS), "the leaf was never cancelled");
    assertTrue(
        leafCancelledAt - cancelledAt <= TOLERANCE_NANOS,
        "leaf cancelled "
            + TimeUnit.NANOSECONDS.toMillis(leafCancelledAt - cancelledAt)
            + " ms after the caller cancelled");
    assertEquals(Status.Code.CANCELLED, leafCancelStatus.code(), leafCancelStatus::toString);
    assertTrue(middleReturned.await(1, TimeUnit.SECONDS), "the middle's stub never returned");
    assertTrue(
        middleReturnedAt - cancelledAt <= TOLERANCE_NANOS,
        "the middle's blocking stub returned "
            + TimeUnit.NANOSECONDS.toMillis(middleReturnedAt - cancelledAt)
            + " ms after the cancel");
    assertEquals(Status.Code.CANCELLED, middleStatus.code(), middleStatus::toString);
  }

  @ParameterizedTest
  @EnumSource(Topology.Mode.class)
  void aDetachedCallOutlivesTheCallThatMadeIt(Topology.Mode mode) throws Exception {
    start(mode);
    assertEquals(
        "spawned", await(topology.caller().call(SPAWN, str("go"), CallOptions.DEFAULT)).getValue());
    // The attached child ends with its parent, which has replied already.
    ExecutionException ended =
        assertThrows(ExecutionException.class, () -> attached.get(5, TimeUnit.SECONDS));
    assertEquals(Status.Code.CANCELLED, Status.fromThrowable(ended).code());
    // The detached one runs to its end.
    assertEquals("done", detached.get(5, TimeUnit.SECONDS).getValue());
  }

  @ParameterizedTest
  @EnumSource(Topology.Mode.class)
  void aWrappedExecutorCarriesTheContextToAnotherThread(Topology.Mode mode) throws Exception {
    start(mode);
    CallOptions twoSeconds = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2));
    long wrapped =
        Long.parseLong(await(topology.caller().call(HOP, str("wrapped"), twoSeconds)).getValue());
    assertTrue(wrapped <= 2000 && wrapped > 1000, "inherited deadline: " + wrapped + " ms left");
    long unwrapped =
        Long.parseLong(await(topology.caller().call(HOP, str("plain"), twoSeconds)).getValue());
    assertTrue(unwrapped > 20_000, "the node's default 30 s: " + unwrapped + " ms left");
  }

  @org.junit.jupiter.api.Test
  void directExecutionPropagatesAsWell() throws Exception {
    Node node =
        Node.create(
                NodeConfig.builder()
                    .directExecution(true)
                    .shutdownGracePeriod(Duration.ofMillis(200))
                    .build())
            .start();
    try {
      CountDownLatch cancelled = new CountDownLatch(1);
      node.addService(
          ServiceDefinition.builder("leaf")
              .unary(
                  WAIT,
                  (req, ctx) -> {
                    ctx.addCancellationListener(s -> cancelled.countDown());
                    return new CompletableFuture<>();
                  })
              .build());
      node.addService(
          ServiceDefinition.builder("middle")
              .unary(RELAY, (req, ctx) -> node.call(WAIT, req, CallOptions.DEFAULT))
              .build());
      CompletableFuture<StringValue> call = node.call(RELAY, str("x"), CallOptions.DEFAULT);
      assertFalse(call.isDone());
      call.cancel(true);
      assertTrue(cancelled.await(1, TimeUnit.SECONDS), "the leaf was never cancelled");
    } finally {
      node.stop();
    }
  }

  @org.junit.jupiter.api.Test
  void outsideAHandlerThereIsNoContext() {
    assertTrue(CallContext.find().isEmpty());
    assertThrows(IllegalStateException.class, CallContext::current);
  }
}
