package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Int32Value;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many threads requesting and publishing at once: nothing lost, nothing duplicated, nothing mixed.
 */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int PER_THREAD = 2_000;

  @Test
  void concurrentRequestsAndEvents() throws Exception {
    Node node = TestServices.startedNode();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      MethodDescriptor<Int32Value, Int32Value> doubler =
          MethodDescriptor.unary(
              "math", "double", Int32Value.getDefaultInstance(), Int32Value.getDefaultInstance());
      node.addService(
          ServiceDefinition.builder("math")
              .unary(
                  doubler,
                  (req, ctx) ->
                      CompletableFuture.completedFuture(Int32Value.of(req.getValue() * 2)))
              .build());

      int total = THREADS * PER_THREAD;
      Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
      CountDownLatch allEvents = new CountDownLatch(total);
      // Per publishing thread, events must arrive in that thread's order.
      Map<Integer, Integer> lastPerThread = new ConcurrentHashMap<>();
      AtomicInteger outOfOrder = new AtomicInteger();
      node.subscribe(
          "load/{thread}",
          e -> {
            int value = e.payload(Int32Value.class).getValue();
            int thread = value / PER_THREAD;
            Integer previous = lastPerThread.put(thread, value);
            if (previous != null && previous >= value) {
              outOfOrder.incrementAndGet();
            }
            seen.computeIfAbsent(value, v -> new AtomicInteger()).incrementAndGet();
            allEvents.countDown();
          });

      List<Future<List<String>>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(
            pool.submit(
                () -> {
                  List<String> errors = new ArrayList<>();
                  List<CompletableFuture<Int32Value>> calls = new ArrayList<>();
                  for (int i = 0; i < PER_THREAD; i++) {
                    int value = thread * PER_THREAD + i;
                    calls.add(node.call(doubler, Int32Value.of(value), CallOptions.DEFAULT));
                    node.publish("load/" + thread, Int32Value.of(value));
                  }
                  for (int i = 0; i < PER_THREAD; i++) {
                    int value = thread * PER_THREAD + i;
                    int reply = calls.get(i).get(10, TimeUnit.SECONDS).getValue();
                    if (reply != value * 2) {
                      errors.add("request " + value + " got " + reply);
                    }
                  }
                  return errors;
                }));
      }
      for (Future<List<String>> w : workers) {
        assertEquals(List.of(), w.get(30, TimeUnit.SECONDS));
      }
      assertTrue(allEvents.await(30, TimeUnit.SECONDS), "events lost: " + allEvents.getCount());
      assertEquals(total, seen.size());
      assertTrue(
          seen.values().stream().allMatch(c -> c.get() == 1), "an event was delivered twice");
      assertEquals(0, outOfOrder.get());
    } finally {
      pool.shutdownNow();
      node.stop();
    }
  }

  @Test
  void registryListsServicesThroughTheOrdinaryRequestPath() throws Exception {
    Node node = TestServices.startedNode();
    try {
      node.addService(
          ServiceDefinition.builder("math")
              .version("2.1.0")
              .description("Sums.")
              .unary(
                  TestServices.method("math", "add"),
                  (r, c) -> CompletableFuture.completedFuture(r))
              .build());
      Message list =
          TestServices.await(
              node.request(
                  "$registry/services/list",
                  dev.runar.registry.proto.ListServicesRequest.getDefaultInstance()));
      var services = ((dev.runar.registry.proto.ListServicesResponse) list).getServicesList();
      assertEquals(
          List.of("default:$registry", "default:math"),
          services.stream().map(s -> s.getPath()).toList());
      var math = services.get(1);
      assertEquals("2.1.0", math.getVersion());
      assertEquals("RUNNING", math.getState());
      assertEquals("default:math/add", math.getActions(0).getPath());
      assertEquals("google.protobuf.StringValue", math.getActions(0).getRequestType());

      var described =
          (dev.runar.registry.proto.ServiceInfo)
              TestServices.await(
                  node.request(
                      "$registry/services/describe",
                      dev.runar.registry.proto.DescribeServiceRequest.newBuilder()
                          .setPath("math")
                          .build()));
      assertEquals(math, described);
      TestServices.assertFailsWith(
          Status.Code.NOT_FOUND,
          node.request(
              "$registry/services/describe",
              dev.runar.registry.proto.DescribeServiceRequest.newBuilder()
                  .setPath("nope")
                  .build()));
    } finally {
      node.stop();
    }
  }
}
