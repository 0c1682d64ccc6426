package dev.runar;

import static dev.runar.TestServices.assertFailsWith;
import static dev.runar.TestServices.await;
import static dev.runar.TestServices.echo;
import static dev.runar.TestServices.method;
import static dev.runar.TestServices.service;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeRequestTest {
  private final Node node = TestServices.startedNode();

  @AfterEach
  void stop() {
    node.stop();
  }

  @Test
  void localCallHandsOverTheMessageObjectsThemselves() throws Exception {
    AtomicReference<Message> seen = new AtomicReference<>();
    StringValue reply = str("reply");
    node.addService(
        service(
            "svc",
            "act",
            (req, ctx) -> {
              seen.set(req);
              return CompletableFuture.completedFuture(reply);
            }));
    StringValue request = str("request");
    assertSame(reply, await(node.request("svc/act", request)));
    assertSame(request, seen.get());
  }

  @Test
  void typedCallReturnsTheResponseType() throws Exception {
    node.addService(echo("svc"));
    StringValue reply = await(node.call(method("svc", "echo"), str("hi"), CallOptions.DEFAULT));
    assertEquals("hi", reply.getValue());
  }

  @Test
  void sameTypeInAnotherRepresentationIsConverted() throws Exception {
    node.addService(echo("svc"));
    DynamicMessage dynamic =
        DynamicMessage.newBuilder(StringValue.getDescriptor())
            .setField(StringValue.getDescriptor().findFieldByName("value"), "dyn")
            .build();
    Message reply = await(node.request("svc/echo", dynamic));
    assertEquals(str("dyn"), reply);
  }

  @Test
  void unknownPathIsNotFound() {
    Status s = assertFailsWith(Status.Code.NOT_FOUND, node.request("nope/act", str("x")));
    assertTrue(s.description().contains("default:nope/act"), s.description());
  }

  @Test
  void wrongNetworkIsNotFound() {
    node.addService(echo("svc"));
    assertFailsWith(Status.Code.NOT_FOUND, node.request("elsewhere:svc/echo", str("x")));
  }

  @Test
  void malformedOrPatternPathIsInvalidArgument() {
    assertFailsWith(Status.Code.INVALID_ARGUMENT, node.request("a//b", str("x")));
    assertFailsWith(Status.Code.INVALID_ARGUMENT, node.request("svc/*", str("x")));
  }

  @Test
  void requestOfAnotherTypeIsInvalidArgument() {
    node.addService(echo("svc"));
    Status s =
        assertFailsWith(Status.Code.INVALID_ARGUMENT, node.request("svc/echo", Int32Value.of(3)));
    assertTrue(s.description().contains("google.protobuf.StringValue"), s.description());
  }

  @Test
  void handlerExceptionIsInternalForThatCallerOnlyAndTheNodeKeepsServing() throws Exception {
    node.addService(
        service(
            "svc",
            "boom",
            (req, ctx) -> {
              throw new IllegalStateException("kaput");
            }));
    node.addService(echo("ok"));
    Status s = assertFailsWith(Status.Code.INTERNAL, node.request("svc/boom", str("x")));
    assertTrue(s.description().contains("kaput"), s.description());
    assertEquals(str("still"), await(node.request("ok/echo", str("still"))));
  }

  @Test
  void handlerStatusIsPassedThrough() {
    node.addService(
        service(
            "svc",
            "deny",
            (req, ctx) -> {
              throw Status.PERMISSION_DENIED.withDescription("not you").asException();
            }));
    node.addService(
        service(
            "svc2",
            "async",
            (req, ctx) ->
                CompletableFuture.failedFuture(
                    Status.ALREADY_EXISTS.withDescription("dup").asException())));
    Status s = assertFailsWith(Status.Code.PERMISSION_DENIED, node.request("svc/deny", str("x")));
    assertEquals("not you", s.description());
    assertFailsWith(Status.Code.ALREADY_EXISTS, node.request("svc2/async", str("x")));
  }

  @Test
  void nullReplyIsInternal() {
    node.addService(service("svc", "null", (req, ctx) -> CompletableFuture.completedFuture(null)));
    assertFailsWith(Status.Code.INTERNAL, node.request("svc/null", str("x")));
  }

  @Test
  void slowHandlerFailsWithDeadlineExceededAndSeesCancellation() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    node.addService(
        service(
            "svc",
            "slow",
            (req, ctx) -> {
              long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
              while (!ctx.isCancelled() && System.nanoTime() < end) {
                Thread.sleep(5);
              }
              if (ctx.isCancelled()) {
                cancelled.countDown();
              }
              return CompletableFuture.completedFuture(req);
            }));
    long start = System.nanoTime();
    assertFailsWith(
        Status.Code.DEADLINE_EXCEEDED,
        node.request(
            "svc/slow", str("x"), CallOptions.DEFAULT.withTimeout(Duration.ofMillis(100))));
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2),
        "deadline was not enforced promptly");
    assertTrue(cancelled.await(5, TimeUnit.SECONDS), "handler never saw the cancellation");
  }

  /** Adds {@code svc/act} to {@code node}, echoing; the returned flag turns true once it runs. */
  private static AtomicReference<Boolean> echoNotingItRan(Node node) {
    AtomicReference<Boolean> ran = new AtomicReference<>(false);
    node.addService(
        service(
            "svc",
            "act",
            (req, ctx) -> {
              ran.set(true);
              return CompletableFuture.completedFuture(req);
            }));
    return ran;
  }

  @Test
  void aDeadlinePassingInAServerInterceptorFailsTheCallBeforeAnInlineHandlerRuns()
      throws Exception {
    // Handlers run on the calling thread: the handler's expiry check is the only one left after
    // the interceptor, since routing's came before it.
    Status failure =
        assertExpiresBeforeAnInlineHandlerRuns(
            NodeConfig.builder()
                .serverInterceptor(
                    call -> {
                      sleepPastTheDeadline();
                      return ServerCallListener.NONE;
                    }));
    assertTrue(failure.description().contains("started"), failure::toString);
  }

  @Test
  void aDeadlinePassingInAClientListenerFailsTheCallBeforeAnInlineHandlerRuns() throws Exception {
    // The listener sees the request after the call read the clock for its deadline: routing must
    // judge the deadline by a reading taken after it.
    assertExpiresBeforeAnInlineHandlerRuns(
        NodeConfig.builder()
            .clientInterceptor(
                call ->
                    new ClientCallListener() {
                      @Override
                      public void onRequest(Message request) {
                        sleepPastTheDeadline();
                      }
                    }));
  }

  /**
   * On a node of {@code config} running handlers on the calling thread, a call with 100 ms to live
   * fails with DEADLINE_EXCEEDED and its handler never runs; returns the failure.
   */
  private static Status assertExpiresBeforeAnInlineHandlerRuns(NodeConfig.Builder config)
      throws Exception {
    Node direct = Node.create(config.directExecution(true).build()).start();
    try {
      AtomicReference<Boolean> ran = echoNotingItRan(direct);
      Status failure =
          assertFailsWith(
              Status.Code.DEADLINE_EXCEEDED,
              direct.request(
                  "svc/act", str("x"), CallOptions.DEFAULT.withTimeout(Duration.ofMillis(100))));
      assertEquals(false, ran.get());
      return failure;
    } finally {
      direct.stop();
    }
  }

  /** Sleeps three times the 100 ms those calls have. */
  private static void sleepPastTheDeadline() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void expiredDeadlineFailsBeforeTheHandlerRuns() {
    AtomicReference<Boolean> ran = echoNotingItRan(node);
    assertFailsWith(
        Status.Code.DEADLINE_EXCEEDED,
        node.request(
            "svc/act",
            str("x"),
            CallOptions.DEFAULT.withDeadline(Deadline.after(Duration.ofMillis(-1)))));
    assertEquals(false, ran.get());
  }

  @Test
  void callerCancellationReachesTheHandler() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<StringValue> handlerStage = new CompletableFuture<>();
    node.addService(
        service(
            "svc",
            "wait",
            (req, ctx) -> {
              started.countDown();
              return handlerStage;
            }));
    CompletableFuture<Message> call = node.request("svc/wait", str("x"));
    assertTrue(started.await(5, TimeUnit.SECONDS));
    call.cancel(true);
    // The handler may still be returning its stage: give the node a moment to cancel it.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!handlerStage.isCancelled() && System.nanoTime() < end) {
      Thread.sleep(1);
    }
    assertTrue(handlerStage.isCancelled(), "the handler's stage was not cancelled");
  }

  @Test
  void templateValuesMetadataAndDeadlineReachTheHandler() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    node.addService(
        ServiceDefinition.builder("rooms/{room}")
            .unary(
                method("rooms/{room}", "post"),
                (req, ctx) -> {
                  seen.set(CallContext.current());
                  return CompletableFuture.completedFuture(str(ctx.pathParam("room")));
                })
            .build());
    Message reply =
        await(
            node.request(
                "rooms/blue/post",
                str("x"),
                CallOptions.DEFAULT
                    .withMetadata("user", "ann")
                    .withTimeout(Duration.ofSeconds(7))));
    assertEquals(str("blue"), reply);
    assertEquals("ann", seen.get().metadata().get("user"));
    assertTrue(seen.get().deadline().timeRemaining().compareTo(Duration.ofSeconds(8)) < 0);
    assertEquals("default:rooms/blue/post", seen.get().path().toString());
  }

  @Test
  void handlersRunOffTheCallersThreadByDefault() throws Exception {
    AtomicReference<Thread> ran = new AtomicReference<>();
    node.addService(
        service(
            "svc",
            "t",
            (req, ctx) -> {
              ran.set(Thread.currentThread());
              return CompletableFuture.completedFuture(req);
            }));
    await(node.request("svc/t", str("x")));
    assertNotEquals(Thread.currentThread(), ran.get());
  }

  @Test
  void directExecutionRunsOnTheCallersThread() throws Exception {
    Node direct = Node.create(NodeConfig.builder().directExecution(true).build()).start();
    try {
      AtomicReference<Thread> ran = new AtomicReference<>();
      direct.addService(
          service(
              "svc",
              "t",
              (req, ctx) -> {
                ran.set(Thread.currentThread());
                return CompletableFuture.completedFuture(req);
              }));
      await(direct.request("svc/t", str("x")));
      assertEquals(Thread.currentThread(), ran.get());
    } finally {
      direct.stop();
    }
  }

  @Test
  void fullExecutorIsResourceExhausted() {
    Node full =
        Node.create(
                NodeConfig.builder()
                    .executor(
                        task -> {
                          throw new RejectedExecutionException("full");
                        })
                    .build())
            .start();
    try {
      full.addService(echo("svc"));
      assertFailsWith(Status.Code.RESOURCE_EXHAUSTED, full.request("svc/echo", str("x")));
    } finally {
      full.stop();
    }
  }

  @Test
  void callsNeedAStartedNode() {
    Node fresh = Node.create();
    fresh.addService(echo("svc"));
    assertFailsWith(Status.Code.UNAVAILABLE, fresh.request("svc/echo", str("x")));
    fresh.stop();
  }
}
