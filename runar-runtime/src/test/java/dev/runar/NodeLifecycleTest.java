package dev.runar;

import static dev.runar.TestServices.assertFailsWith;
import static dev.runar.TestServices.await;
import static dev.runar.TestServices.echo;
import static dev.runar.TestServices.service;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.runar.discovery.MemoryDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NodeLifecycleTest {
  private final List<String> hooks = new CopyOnWriteArrayList<>();

  private ServiceDefinition tracked(String path) {
    return ServiceDefinition.builder(path)
        .unary(
            TestServices.method(path, "echo"), (req, ctx) -> CompletableFuture.completedFuture(req))
        .lifecycle(
            new ServiceLifecycle() {
              @Override
              public void init(Node node) {
                hooks.add("init " + path);
              }

              @Override
              public void start() {
                hooks.add("start " + path);
              }

              @Override
              public void stop() {
                hooks.add("stop " + path);
              }
            })
        .build();
  }

  @Test
  void hooksRunInOrderAndStopReverses() {
    Node node = Node.create();
    node.addService(tracked("a"));
    node.addService(tracked("b"));
    assertEquals(List.of("init a", "init b"), hooks);
    node.start();
    node.addService(tracked("c"));
    node.stop();
    assertEquals(
        List.of(
            "init a", "init b", "start a", "start b", "init c", "start c", "stop c", "stop b",
            "stop a"),
        hooks);
  }

  @Test
  void startAndStopAreIdempotentAndThreadSafe() throws Exception {
    Node node = Node.create();
    node.addService(tracked("a"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> starts = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 8; i++) {
        starts.add(pool.submit(node::start));
      }
      for (Future<?> f : starts) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertTrue(node.isRunning());
      List<Future<?>> stops = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 8; i++) {
        stops.add(pool.submit(node::stop));
      }
      for (Future<?> f : stops) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertFalse(node.isRunning());
    assertEquals(List.of("init a", "start a", "stop a"), hooks);
    assertThrows(IllegalStateException.class, node::start);
  }

  /** A port another socket holds: start fails with the bind error, and stopping is clean. */
  @Test
  void aNodeWhosePortIsTakenFailsToStartWithTheReasonAndStopsCleanly() throws Exception {
    try (DatagramSocket taken =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      Node node =
          Node.create(
              NodeConfig.builder()
                  .transport(
                      new QuicTransport(
                          QuicTransportConfig.builder()
                              .security(Security.development())
                              .bindAddress(
                                  new InetSocketAddress(
                                      InetAddress.getLoopbackAddress(), taken.getLocalPort()))
                              .build()))
                  .discovery(new MemoryDiscovery.Network().discovery())
                  .build());
      IllegalStateException failed = assertThrows(IllegalStateException.class, node::start);
      // Netty's native transport reports the bind error as an IOException of its own.
      assertTrue(
          failed.getCause() instanceof java.io.IOException
              && failed.getCause().getMessage().contains("in use"),
          () -> "the cause is the bind error, not what stopping met: " + failed.getCause());
      node.stop(); // again: nothing left to close
    }
  }

  @Test
  void servicesCanBeAddedAndRemovedWhileRunning() throws Exception {
    Node node = TestServices.startedNode();
    try {
      node.addService(tracked("late"));
      assertEquals(str("x"), await(node.request("late/echo", str("x"))));
      assertTrue(node.removeService("late"));
      assertFalse(node.removeService("late"));
      assertFailsWith(Status.Code.NOT_FOUND, node.request("late/echo", str("x")));
      assertEquals(List.of("init late", "start late", "stop late"), hooks);
      // Routes are cached: every change to the services must be seen by the next call.
      node.addService(tracked("late"));
      assertEquals(str("y"), await(node.request("late/echo", str("y"))));
      assertTrue(node.removeService("late"));
      assertFailsWith(Status.Code.NOT_FOUND, node.request("late/echo", str("x")));
    } finally {
      node.stop();
    }
  }

  @Test
  void duplicatePathsAreRejected() {
    Node node = Node.create();
    node.addService(echo("svc"));
    assertThrows(IllegalArgumentException.class, () -> node.addService(echo("svc")));
    node.stop();
  }

  @Test
  void failingInitAbortsTheAdd() {
    Node node = Node.create();
    ServiceDefinition bad =
        ServiceDefinition.builder("bad")
            .unary(
                TestServices.method("bad", "x"),
                (req, ctx) -> CompletableFuture.completedFuture(req))
            .lifecycle(
                new ServiceLifecycle() {
                  @Override
                  public void init(Node n) {
                    throw new IllegalStateException("no");
                  }
                })
            .build();
    assertThrows(IllegalStateException.class, () -> node.addService(bad));
    assertTrue(node.service("bad").isEmpty());
    node.stop();
  }

  @Test
  void stopLetsInFlightCallsFinishWithinTheGracePeriod() throws Exception {
    Node node =
        Node.create(NodeConfig.builder().shutdownGracePeriod(Duration.ofSeconds(5)).build())
            .start();
    CountDownLatch started = new CountDownLatch(1);
    node.addService(
        service(
            "svc",
            "slow",
            (req, ctx) -> {
              started.countDown();
              Thread.sleep(300);
              return CompletableFuture.completedFuture(req);
            }));
    CompletableFuture<Message> call = node.request("svc/slow", str("done"));
    assertTrue(started.await(5, TimeUnit.SECONDS));
    node.stop();
    assertEquals(str("done"), call.getNow(null));
  }

  @Test
  void stopCancelsCallsThatOutliveTheGracePeriodAndRefusesNewOnes() throws Exception {
    Node node =
        Node.create(NodeConfig.builder().shutdownGracePeriod(Duration.ofMillis(200)).build())
            .start();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<CallContext> context = new AtomicReference<>();
    node.addService(
        service(
            "svc",
            "stuck",
            (req, ctx) -> {
              context.set(ctx);
              started.countDown();
              release.await(10, TimeUnit.SECONDS);
              return CompletableFuture.completedFuture(req);
            }));
    node.addService(echo("fast"));
    CompletableFuture<Message> call = node.request("svc/stuck", str("x"));
    assertTrue(started.await(5, TimeUnit.SECONDS));
    long t0 = System.nanoTime();
    Thread stopper = new Thread(node::stop);
    stopper.start();
    // While stopping, new calls are refused at once.
    while (node.isRunning()) {
      Thread.onSpinWait();
    }
    assertFailsWith(Status.Code.UNAVAILABLE, node.request("fast/echo", str("x")));
    stopper.join(5_000);
    assertFalse(stopper.isAlive());
    assertTrue(
        System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3),
        "stop did not respect the grace period");
    assertFailsWith(Status.Code.UNAVAILABLE, call);
    assertTrue(context.get().isCancelled(), "the handler was not told its call was cancelled");
    release.countDown();
  }
}
