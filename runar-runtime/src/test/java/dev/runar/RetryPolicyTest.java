package dev.runar;

import static dev.runar.TestServices.assertFailsWith;
import static dev.runar.TestServices.await;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import dev.runar.stub.ClientCalls;
import dev.runar.stub.Publishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retries by policy, on one node (local handlers) and on three nodes over QUIC (a caller and two
 * providers): a flaky idempotent call succeeds, a non-idempotent one that ran is not repeated, a
 * retry goes to the other provider, and the retry budget stops retries when most calls fail.
 */
@Timeout(60)
class RetryPolicyTest {
  private static final MethodDescriptor<StringValue, StringValue> IDEMPOTENT =
      TestServices.method("flaky", "get").withIdempotencyLevel(IdempotencyLevel.IDEMPOTENT);
  private static final MethodDescriptor<StringValue, StringValue> PLAIN =
      TestServices.method("flaky", "get");

  private static final RetryPolicy FAST =
      RetryPolicy.builder()
          .maxAttempts(3)
          .initialBackoff(Duration.ofMillis(5))
          .maxBackoff(Duration.ofMillis(20))
          .build();

  private final QuicNodes quic = new QuicNodes();
  private final List<Node> local = new CopyOnWriteArrayList<>();

  /** Fails with UNAVAILABLE while {@code failures} remain, else echoes; records who ran it. */
  private static final class Flaky {
    final AtomicInteger failures;
    final List<String> ranOn = new CopyOnWriteArrayList<>();

    Flaky(int failures) {
      this.failures = new AtomicInteger(failures);
    }

    ServiceDefinition service(String nodeId, MethodDescriptor<StringValue, StringValue> method) {
      return ServiceDefinition.builder("flaky")
          .unary(
              method,
              (request, context) -> {
                ranOn.add(nodeId);
                return failures.getAndDecrement() > 0
                    ? CompletableFuture.failedFuture(
                        Status.UNAVAILABLE.withDescription("flaky on " + nodeId).asException())
                    : CompletableFuture.completedFuture(request);
              })
          .build();
    }
  }

  @AfterEach
  void stop() {
    quic.close();
    local.forEach(Node::stop);
  }

  private Node localNode(ServiceConfig serviceConfig) {
    Node node = Node.create(NodeConfig.builder().serviceConfig(serviceConfig).build()).start();
    local.add(node);
    return node;
  }

  /** A caller and two providers of {@code flaky} running {@code method}'s handler. */
  private Node threeNodes(
      Flaky flaky, MethodDescriptor<StringValue, StringValue> method, ServiceConfig config)
      throws Exception {
    quic.start("p1").addService(flaky.service("p1", method));
    quic.start("p2").addService(flaky.service("p2", method));
    Node caller = quic.start("caller", b -> b.serviceConfig(config));
    QuicNodes.awaitProvider(caller, "p1", "flaky");
    QuicNodes.awaitProvider(caller, "p2", "flaky");
    return caller;
  }

  private static ServiceConfig fastIdempotentRetries() {
    return ServiceConfig.builder().idempotentRetryPolicy(FAST).build();
  }

  @Test
  void unavailableTwiceThenSuccessIsOneSuccessOnOneNode() throws Exception {
    Flaky flaky = new Flaky(2);
    Node node = localNode(fastIdempotentRetries());
    node.addService(flaky.service("local", IDEMPOTENT));

    assertEquals("a", await(node.call(IDEMPOTENT, str("a"), CallOptions.DEFAULT)).getValue());
    assertEquals(3, flaky.ranOn.size());
  }

  @Test
  void unavailableTwiceThenSuccessIsOneSuccessOnThreeNodesAndRetriesGoElsewhere() throws Exception {
    Flaky flaky = new Flaky(2);
    Node caller = threeNodes(flaky, IDEMPOTENT, fastIdempotentRetries());

    assertEquals("a", await(caller.call(IDEMPOTENT, str("a"), CallOptions.DEFAULT)).getValue());
    assertEquals(3, flaky.ranOn.size(), flaky.ranOn::toString);
    assertNotEquals(flaky.ranOn.get(0), flaky.ranOn.get(1), "the retry went to another provider");

    // An untyped call knows the method is idempotent from what the providers advertise.
    flaky.failures.set(2);
    flaky.ranOn.clear();
    Message reply = await(caller.request("flaky/get", str("b")));
    assertEquals(str("b"), ((Any) reply).unpack(StringValue.class));
    assertEquals(3, flaky.ranOn.size(), flaky.ranOn::toString);
  }

  @Test
  void aLocalHandlerThatFailsIsRetriedOnAPeer() throws Exception {
    Flaky flaky = new Flaky(1);
    quic.start("peer").addService(flaky.service("peer", IDEMPOTENT));
    Node caller = quic.start("caller", b -> b.serviceConfig(fastIdempotentRetries()));
    caller.addService(flaky.service("caller", IDEMPOTENT));
    QuicNodes.awaitProvider(caller, "peer", "flaky");

    assertEquals("a", await(caller.call(IDEMPOTENT, str("a"), CallOptions.DEFAULT)).getValue());
    assertEquals(List.of("caller", "peer"), flaky.ranOn, "local first, then the other provider");
  }

  @Test
  void aNonIdempotentMethodIsNotRetriedAfterItRanOnOneNode() throws Exception {
    Flaky flaky = new Flaky(2);
    Node node = localNode(ServiceConfig.builder().retryPolicy("flaky", FAST).build());
    node.addService(flaky.service("local", PLAIN));

    assertFailsWith(Status.Code.UNAVAILABLE, node.call(PLAIN, str("a"), CallOptions.DEFAULT));
    assertEquals(1, flaky.ranOn.size());
    // The same call with an idempotent descriptor is retried under the same policy.
    flaky.ranOn.clear();
    flaky.failures.set(1);
    assertEquals("b", await(node.call(IDEMPOTENT, str("b"), CallOptions.DEFAULT)).getValue());
    assertEquals(2, flaky.ranOn.size());
  }

  @Test
  void aNonIdempotentMethodIsNotRetriedAfterItRanOnThreeNodes() throws Exception {
    Flaky flaky = new Flaky(2);
    Node caller =
        threeNodes(flaky, PLAIN, ServiceConfig.builder().retryPolicy("flaky/get", FAST).build());

    assertFailsWith(Status.Code.UNAVAILABLE, caller.call(PLAIN, str("a"), CallOptions.DEFAULT));
    assertEquals(1, flaky.ranOn.size(), flaky.ranOn::toString);
    assertFailsWith(
        Status.Code.UNAVAILABLE,
        caller.call(PLAIN, str("a"), CallOptions.DEFAULT.withRetryPolicy(FAST)));
    assertEquals(2, flaky.ranOn.size(), flaky.ranOn::toString);
  }

  @Test
  void theRetryBudgetStopsRetriesWhenMostCallsFailOnOneNode() throws Exception {
    Flaky flaky = new Flaky(Integer.MAX_VALUE);
    Node node =
        localNode(
            ServiceConfig.builder().idempotentRetryPolicy(FAST).retryThrottling(10, 0.1).build());
    node.addService(flaky.service("local", IDEMPOTENT));
    assertBudgetStopsRetries(node, flaky);
  }

  @Test
  void theRetryBudgetStopsRetriesWhenMostCallsFailOnThreeNodes() throws Exception {
    Flaky flaky = new Flaky(Integer.MAX_VALUE);
    Node caller =
        threeNodes(
            flaky,
            IDEMPOTENT,
            ServiceConfig.builder().idempotentRetryPolicy(FAST).retryThrottling(10, 0.1).build());
    assertBudgetStopsRetries(caller, flaky);
  }

  private static void assertBudgetStopsRetries(Node caller, Flaky flaky) throws Exception {
    assertFailsWith(
        Status.Code.UNAVAILABLE, caller.call(IDEMPOTENT, str("x"), CallOptions.DEFAULT));
    assertEquals(3, flaky.ranOn.size(), "a full bucket allows retries");
    for (int i = 0; i < 99; i++) {
      assertFailsWith(
          Status.Code.UNAVAILABLE, caller.call(IDEMPOTENT, str("x"), CallOptions.DEFAULT));
    }
    // Without a budget: 300 attempts. With 10 tokens, retries stop once 5 are gone.
    assertTrue(flaky.ranOn.size() <= 106, () -> flaky.ranOn.size() + " attempts for 100 calls");

    // Successes refill the bucket: after enough of them, a failing call is retried again.
    flaky.failures.set(0);
    for (int i = 0; i < 80; i++) { // 0.1 token each: 7 or more tokens again
      await(caller.call(IDEMPOTENT, str("x"), CallOptions.DEFAULT));
    }
    flaky.failures.set(1);
    flaky.ranOn.clear();
    assertEquals("y", await(caller.call(IDEMPOTENT, str("y"), CallOptions.DEFAULT)).getValue());
    assertEquals(2, flaky.ranOn.size());
  }

  @Test
  void aPerAttemptTimeoutRetriesAnAttemptThatHangs() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Node node =
        localNode(
            ServiceConfig.builder()
                .retryPolicy(
                    "slow",
                    RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialBackoff(Duration.ofMillis(1))
                        .perAttemptTimeout(Duration.ofMillis(100))
                        .build())
                .build());
    MethodDescriptor<StringValue, StringValue> method =
        TestServices.method("slow", "get").withIdempotencyLevel(IdempotencyLevel.NO_SIDE_EFFECTS);
    node.addService(
        ServiceDefinition.builder("slow")
            .unary(
                method,
                (request, context) ->
                    runs.incrementAndGet() == 1
                        ? new CompletableFuture<>() // never replies
                        : CompletableFuture.completedFuture(request))
            .build());

    assertEquals("a", await(node.call(method, str("a"), CallOptions.DEFAULT)).getValue());
    assertEquals(2, runs.get());
  }

  private static final MethodDescriptor<StringValue, StringValue> WATCH =
      MethodDescriptor.create(
              MethodDescriptor.MethodType.SERVER_STREAMING,
              "feed",
              "watch",
              StringValue.getDefaultInstance(),
              StringValue.getDefaultInstance())
          .withIdempotencyLevel(IdempotencyLevel.NO_SIDE_EFFECTS);

  /**
   * A feed whose first {@code failuresBeforeFirst} calls fail with UNAVAILABLE at once, and whose
   * calls after those send one response and then fail with UNAVAILABLE when {@code failAfterFirst}
   * is set, else send "1", "2", "3".
   */
  private static ServiceDefinition feed(
      AtomicInteger runs, int failuresBeforeFirst, boolean failAfterFirst) {
    return ServiceDefinition.builder("feed")
        .streaming(
            WATCH,
            (requests, context) -> {
              Status unavailable = Status.UNAVAILABLE.withDescription("feed down");
              if (runs.incrementAndGet() <= failuresBeforeFirst) {
                return Publishers.failed(unavailable.asException());
              }
              if (!failAfterFirst) {
                return Publishers.fromIterable(List.of(str("1"), str("2"), str("3")));
              }
              return subscriber ->
                  subscriber.onSubscribe(
                      new Flow.Subscription() {
                        private boolean sent;

                        @Override
                        public void request(long n) {
                          if (!sent) {
                            sent = true;
                            subscriber.onNext(str("1"));
                            subscriber.onError(unavailable.asException());
                          }
                        }

                        @Override
                        public void cancel() {}
                      });
            })
        .build();
  }

  /** What a blocking read of the feed saw: its values, then "error:CODE" if it failed. */
  private static List<String> read(Node caller) {
    List<String> seen = new ArrayList<>();
    try (BlockingStream<StringValue> stream =
        ClientCalls.blockingServerStream(caller, WATCH, str("w"), CallOptions.DEFAULT)) {
      stream.forEachRemaining(v -> seen.add(v.getValue()));
    } catch (StatusException e) {
      seen.add("error:" + e.status().code());
    }
    return seen;
  }

  @Test
  void aServerStreamIsRetriedBeforeItsFirstResponseOnly() throws Exception {
    Node node = localNode(fastIdempotentRetries());
    AtomicInteger runs = new AtomicInteger();
    node.addService(feed(runs, 2, false));
    assertEquals(List.of("1", "2", "3"), read(node));
    assertEquals(3, runs.get());

    Node other = localNode(fastIdempotentRetries());
    AtomicInteger otherRuns = new AtomicInteger();
    other.addService(feed(otherRuns, 0, true));
    assertEquals(List.of("1", "error:UNAVAILABLE"), read(other));
    assertEquals(1, otherRuns.get(), "committed after its first response: not retried");
  }

  @Test
  void aServerStreamIsRetriedBeforeItsFirstResponseOnlyOnThreeNodes() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    quic.start("p1").addService(feed(runs, 2, false));
    quic.start("p2").addService(feed(runs, 2, false));
    Node caller = quic.start("caller", b -> b.serviceConfig(fastIdempotentRetries()));
    QuicNodes.awaitProvider(caller, "p1", "feed");
    QuicNodes.awaitProvider(caller, "p2", "feed");
    assertEquals(List.of("1", "2", "3"), read(caller));
    assertEquals(3, runs.get());
  }

  @Test
  void aServerStreamIsNotRetriedAfterItsFirstResponseOnThreeNodes() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    quic.start("p1").addService(feed(runs, 0, true));
    quic.start("p2").addService(feed(runs, 0, true));
    Node caller = quic.start("caller", b -> b.serviceConfig(fastIdempotentRetries()));
    QuicNodes.awaitProvider(caller, "p1", "feed");
    QuicNodes.awaitProvider(caller, "p2", "feed");
    assertEquals(List.of("1", "error:UNAVAILABLE"), read(caller));
    assertEquals(1, runs.get());
  }
}
