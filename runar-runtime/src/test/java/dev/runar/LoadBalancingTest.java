package dev.runar;

import static dev.runar.TestServices.await;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Load-balancing policies on three nodes over QUIC (a caller and two providers), and this node's
 * own handler weighed against a peer's: least-outstanding-requests favours the faster provider,
 * round-robin does not, outlier detection sets a failing provider aside, and a balancer that does
 * not prefer local handlers spreads calls to peers too.
 */
@Timeout(60)
class LoadBalancingTest {
  private static final MethodDescriptor<StringValue, StringValue> WORK =
      TestServices.method("work", "do");

  private final QuicNodes quic = new QuicNodes();
  private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    quic.close();
    delays.shutdownNow();
  }

  /** A provider {@code id} of {@code work/do} that replies after {@code delay}. */
  private void provider(String id, Duration delay, Status failure) {
    AtomicInteger count = served.computeIfAbsent(id, k -> new AtomicInteger());
    quic.start(id)
        .addService(
            ServiceDefinition.builder("work")
                .unary(
                    WORK,
                    (request, context) -> {
                      count.incrementAndGet();
                      if (!failure.isOk()) {
                        return CompletableFuture.failedFuture(failure.asException());
                      }
                      CompletableFuture<StringValue> reply = new CompletableFuture<>();
                      delays.schedule(
                          () -> reply.complete(request), delay.toNanos(), TimeUnit.NANOSECONDS);
                      return reply;
                    })
                .build());
  }

  private Node caller(ServiceConfig config, String... providers) throws Exception {
    Node caller = quic.start("caller", b -> b.serviceConfig(config));
    for (String provider : providers) {
      QuicNodes.awaitProvider(caller, provider, "work");
    }
    return caller;
  }

  /** Makes {@code calls} calls with {@code inFlight} at a time; all must succeed. */
  private static void load(Node caller, int calls, int inFlight) throws Exception {
    Semaphore permits = new Semaphore(inFlight);
    List<CompletableFuture<StringValue>> all = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      permits.acquire();
      CompletableFuture<StringValue> call = caller.call(WORK, str("w"), CallOptions.DEFAULT);
      call.whenComplete((r, e) -> permits.release());
      all.add(call);
    }
    for (CompletableFuture<StringValue> call : all) {
      await(call);
    }
  }

  private int served(String id) {
    return served.get(id).get();
  }

  @Test
  void leastOutstandingRequestsSendsMoreCallsToTheFasterProvider() throws Exception {
    provider("fast", Duration.ofMillis(1), Status.OK);
    provider("slow", Duration.ofMillis(40), Status.OK);
    Node caller =
        caller(
            ServiceConfig.builder().loadBalancer(LoadBalancer.leastOutstandingRequests()).build(),
            "fast",
            "slow");

    load(caller, 400, 8);

    assertEquals(400, served("fast") + served("slow"));
    assertTrue(
        served("fast") >= 4 * served("slow"),
        () -> "fast " + served("fast") + ", slow " + served("slow"));
  }

  @Test
  void roundRobinSendsAsManyCallsToEachProvider() throws Exception {
    provider("fast", Duration.ofMillis(1), Status.OK);
    provider("slow", Duration.ofMillis(20), Status.OK);
    Node caller = caller(ServiceConfig.DEFAULT, "fast", "slow");

    load(caller, 200, 8);

    assertEquals(100, served("fast"), () -> "fast " + served("fast") + ", slow " + served("slow"));
    assertEquals(100, served("slow"));
  }

  @Test
  void outlierDetectionSetsAFailingProviderAside() throws Exception {
    provider("good", Duration.ZERO, Status.OK);
    provider("bad", Duration.ZERO, Status.INTERNAL.withDescription("broken"));
    Node caller =
        caller(
            ServiceConfig.builder()
                .outlierDetection(OutlierDetection.of(3, Duration.ofSeconds(30)))
                .build(),
            "good",
            "bad");

    int failed = 0;
    for (int i = 0; i < 100; i++) {
      try {
        await(caller.call(WORK, str("w"), CallOptions.DEFAULT));
      } catch (java.util.concurrent.ExecutionException e) {
        assertEquals(Status.Code.INTERNAL, Status.fromThrowable(e).code());
        failed++;
      }
    }

    assertEquals(3, served("bad"), "set aside after 3 failures in a row");
    assertEquals(3, failed);
    assertEquals(97, served("good"));
  }

  @Test
  void aBalancerThatDoesNotPreferLocalHandlersSendsCallsToPeersToo() throws Exception {
    provider("peer", Duration.ZERO, Status.OK);
    AtomicInteger local = new AtomicInteger();
    Node caller =
        caller(ServiceConfig.builder().loadBalancer(LoadBalancer.roundRobin()).build(), "peer");
    caller.addService(
        ServiceDefinition.builder("work")
            .unary(
                WORK,
                (request, context) -> {
                  local.incrementAndGet();
                  return CompletableFuture.completedFuture(request);
                })
            .build());

    load(caller, 100, 1);

    assertEquals(50, local.get());
    assertEquals(50, served("peer"));
  }

  @Test
  void localHandlersServeEveryCallByDefault() throws Exception {
    provider("peer", Duration.ZERO, Status.OK);
    AtomicInteger local = new AtomicInteger();
    Node caller = caller(ServiceConfig.DEFAULT, "peer");
    caller.addService(
        ServiceDefinition.builder("work")
            .unary(
                WORK,
                (request, context) -> {
                  local.incrementAndGet();
                  return CompletableFuture.completedFuture(request);
                })
            .build());

    load(caller, 50, 4);

    assertEquals(50, local.get());
    assertEquals(0, served("peer"));
  }
}
