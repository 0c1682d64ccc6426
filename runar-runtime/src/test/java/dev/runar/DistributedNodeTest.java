package dev.runar;

import static dev.runar.TestServices.assertFailsWith;
import static dev.runar.TestServices.await;
import static dev.runar.TestServices.eventually;
import static dev.runar.TestServices.service;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import dev.runar.discovery.MemoryDiscovery;
import dev.runar.examples.chat.ChatProtos.ChatMessage;
import dev.runar.examples.chat.ChatProtos.ChatPosted;
import dev.runar.examples.chat.ChatTopics;
import dev.runar.examples.helloworld.GreeterRunar;
import dev.runar.examples.helloworld.HelloReply;
import dev.runar.examples.helloworld.HelloRequest;
import dev.runar.network.Peers;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three nodes in one JVM over real QUIC on 127.0.0.1, finding each other with MemoryDiscovery. */
class DistributedNodeTest {
  private final MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
  private final String network = "net-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Node> nodes = new ArrayList<>();
  private Node a;
  private Node b;
  private Node c;

  private Node node(String id) {
    Node n =
        Node.create(
            NodeConfig.builder()
                .nodeId(id)
                .networkId(network)
                .shutdownGracePeriod(Duration.ofMillis(500))
                .transport(
                    new QuicTransport(
                        QuicTransportConfig.builder()
                            .security(Security.development())
                            .shutdownGracePeriod(Duration.ofMillis(500))
                            .build()))
                .discovery(discovery.discovery())
                .build());
    nodes.add(n);
    return n;
  }

  @BeforeEach
  void startThreeNodes() throws Exception {
    a = node("node-a").start();
    b = node("node-b").start();
    c = node("node-c").start();
    for (Node n : nodes) {
      for (Node other : nodes) {
        if (n != other) {
          eventually(
              () ->
                  n.peers()
                      .get(other.nodeId())
                      .map(p -> p.state() == Peers.PeerState.CONNECTED)
                      .orElse(false));
        }
      }
    }
  }

  @AfterEach
  void stopAll() {
    nodes.forEach(Node::stop);
  }

  /** Adds a service and waits until {@code caller} can reach it. */
  private void addAndAwait(Node host, ServiceDefinition service, Node caller, String probe)
      throws Exception {
    host.addService(service);
    eventually(
        () -> {
          try {
            caller.request(probe, str("probe")).get(5, TimeUnit.SECONDS);
            return true;
          } catch (java.util.concurrent.ExecutionException e) {
            return Status.fromThrowable(e).code() != Status.Code.NOT_FOUND;
          }
        });
  }

  @Test
  void registryListsPeersWithTheirState() throws Exception {
    addAndAwait(b, TestServices.echo("listed"), a, "listed/echo");
    var peers =
        (dev.runar.registry.proto.ListPeersResponse)
            await(
                a.request(
                    "$registry/peers/list",
                    dev.runar.registry.proto.ListPeersRequest.getDefaultInstance()));
    assertEquals(
        List.of("node-b", "node-c"),
        peers.getPeersList().stream().map(p -> p.getNodeId()).sorted().toList());
    var peerB =
        peers.getPeersList().stream()
            .filter(p -> p.getNodeId().equals("node-b"))
            .findFirst()
            .orElseThrow();
    assertEquals("CONNECTED", peerB.getState());
    assertTrue(peerB.getServicesList().contains(network + ":listed"), peerB.toString());
  }

  @Test
  void requestsGoBothWays() throws Exception {
    addAndAwait(b, TestServices.echo("on-b"), a, "on-b/echo");
    addAndAwait(a, TestServices.echo("on-a"), b, "on-a/echo");
    Message fromB = await(a.request("on-b/echo", str("hi b")));
    // An untyped remote reply arrives as an Any; the typed API reads it.
    assertTrue(fromB instanceof Any);
    assertEquals(str("hi b"), ((Any) fromB).unpack(StringValue.class));
    StringValue typed =
        await(b.call(TestServices.method("on-a", "echo"), str("hi a"), CallOptions.DEFAULT));
    assertEquals("hi a", typed.getValue());
  }

  @Test
  void generatedStubsAndTypedEventsWorkAcrossNodes() throws Exception {
    b.addService(
        new GreeterRunar.GreeterImplBase() {
          @Override
          public HelloReply sayHello(HelloRequest request) {
            return HelloReply.newBuilder()
                .setMessage(
                    "Hello "
                        + request.getName()
                        + " from "
                        + CallContext.current().metadata().get("who"))
                .build();
          }
        });
    BlockingQueue<ChatPosted> posted = new LinkedBlockingQueue<>();
    c.subscribe(ChatTopics.CHAT_POSTED, posted::add);
    eventually(
        () -> {
          try {
            GreeterRunar.newBlockingStub(a)
                .withMetadata("who", "b")
                .sayHello(HelloRequest.getDefaultInstance());
            return true;
          } catch (StatusException e) {
            return false;
          }
        });
    HelloReply reply =
        GreeterRunar.newBlockingStub(a)
            .withMetadata("who", "b")
            .sayHello(HelloRequest.newBuilder().setName("Ada").build());
    assertEquals("Hello Ada from b", reply.getMessage());
    assertEquals(
        "Hello Bo from b",
        GreeterRunar.newFutureStub(a)
            .withMetadata("who", "b")
            .sayHello(HelloRequest.newBuilder().setName("Bo").build())
            .get(10, TimeUnit.SECONDS)
            .getMessage());

    ChatPosted event =
        ChatPosted.newBuilder()
            .setMessage(ChatMessage.newBuilder().setRoom("blue").setText("hi"))
            .setId(7)
            .build();
    eventually(
        () -> {
          a.publish(ChatTopics.CHAT_POSTED, event);
          return posted.poll(100, TimeUnit.MILLISECONDS) != null;
        });
  }

  @Test
  void wildcardEventsReachSubscribersOnOtherNodesWithTheConcreteTopic() throws Exception {
    BlockingQueue<Event> onB = new LinkedBlockingQueue<>();
    BlockingQueue<Event> onC = new LinkedBlockingQueue<>();
    b.subscribe("sensors/>", onB::add);
    c.subscribe("sensors/*/temp", onC::add);
    // Wait until a knows both subscriptions.
    eventually(
        () -> {
          a.publish("sensors/probe/temp", str("probe"));
          return onB.poll(50, TimeUnit.MILLISECONDS) != null
              && onC.poll(50, TimeUnit.MILLISECONDS) != null;
        });
    onB.clear();
    onC.clear();
    for (int i = 0; i < 50; i++) {
      a.publish("sensors/kitchen/temp", StringValue.of("t" + i));
    }
    a.publish("sensors/kitchen/humidity", str("h"));
    for (int i = 0; i < 50; i++) {
      Event e = onC.poll(10, TimeUnit.SECONDS);
      assertEquals(network + ":sensors/kitchen/temp", e.topic().toString());
      assertEquals("t" + i, e.payload(StringValue.class).getValue());
    }
    for (int i = 0; i < 50; i++) {
      assertEquals("t" + i, onB.poll(10, TimeUnit.SECONDS).payload(StringValue.class).getValue());
    }
    assertEquals("h", onB.poll(10, TimeUnit.SECONDS).payload(StringValue.class).getValue());
    assertEquals(null, onC.poll(200, TimeUnit.MILLISECONDS));
  }

  @Test
  void aServiceAddedAtRuntimeBecomesCallableAndAStoppedNodesServicesDisappear() throws Exception {
    assertFailsWith(Status.Code.NOT_FOUND, a.request("late/echo", str("x")));
    addAndAwait(c, TestServices.echo("late"), a, "late/echo");
    assertEquals(
        str("x"), ((Any) await(a.request("late/echo", str("x")))).unpack(StringValue.class));
    c.removeService("late");
    eventually(
        () -> {
          try {
            a.request("late/echo", str("x")).get(5, TimeUnit.SECONDS);
            return false;
          } catch (java.util.concurrent.ExecutionException e) {
            return Status.fromThrowable(e).code() == Status.Code.NOT_FOUND;
          }
        });
    addAndAwait(c, TestServices.echo("again"), a, "again/echo");
    c.stop();
    eventually(
        () ->
            a.peers().get("node-c").map(p -> p.state() != Peers.PeerState.CONNECTED).orElse(true));
    assertFailsWith(Status.Code.NOT_FOUND, a.request("again/echo", str("x")));
  }

  @Test
  void twoProvidersShareLoadRoundRobin() throws Exception {
    Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    for (Node host : List.of(b, c)) {
      host.addService(
          service(
              "math",
              "who",
              (req, ctx) -> {
                served.computeIfAbsent(host.nodeId(), k -> new AtomicInteger()).incrementAndGet();
                return CompletableFuture.completedFuture(str(host.nodeId()));
              }));
    }
    // Wait until a sees both providers: both names appear among replies.
    eventually(
        () -> {
          java.util.Set<String> seen = new java.util.HashSet<>();
          for (int i = 0; i < 4; i++) {
            try {
              seen.add(
                  ((Any) a.request("math/who", str("")).get(5, TimeUnit.SECONDS))
                      .unpack(StringValue.class)
                      .getValue());
            } catch (java.util.concurrent.ExecutionException e) {
              return false;
            }
          }
          return seen.size() == 2;
        });
    served.clear();
    for (int i = 0; i < 20; i++) {
      await(a.request("math/who", str("")));
    }
    assertEquals(10, served.get("node-b").get());
    assertEquals(10, served.get("node-c").get());
  }

  @Test
  void remoteErrorsKeepTheirStatusAndMessage() throws Exception {
    b.addService(
        service(
            "err",
            "deny",
            (req, ctx) -> {
              throw Status.PERMISSION_DENIED.withDescription("not you").asException();
            }));
    addAndAwait(
        b,
        service(
            "err2",
            "boom",
            (req, ctx) -> {
              throw new IllegalStateException("kaput");
            }),
        a,
        "err/deny");
    Status remote = assertFailsWith(Status.Code.PERMISSION_DENIED, a.request("err/deny", str("x")));
    assertEquals("not you", remote.description());
    Status remoteBoom = assertFailsWith(Status.Code.INTERNAL, a.request("err2/boom", str("x")));
    Status localBoom = assertFailsWith(Status.Code.INTERNAL, b.request("err2/boom", str("x")));
    assertEquals(localBoom.description(), remoteBoom.description());
  }

  @Test
  void deadlinesAndCancellationCrossTheWire() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    CountDownLatch cancelled = new CountDownLatch(2);
    addAndAwait(
        b,
        service(
            "slow",
            "op",
            (req, ctx) -> {
              if (req.getValue().equals("probe")) {
                return CompletableFuture.completedFuture(req);
              }
              seen.set(ctx);
              long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
              while (!ctx.isCancelled() && System.nanoTime() < end) {
                Thread.sleep(5);
              }
              if (ctx.isCancelled()) {
                cancelled.countDown();
              }
              return CompletableFuture.completedFuture(req);
            }),
        a,
        "slow/op");

    long start = System.nanoTime();
    assertFailsWith(
        Status.Code.DEADLINE_EXCEEDED,
        a.request("slow/op", str("wait"), CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300))));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
    // The handler saw the caller's deadline, not the default 30 s.
    assertTrue(seen.get().deadline().timeRemaining().compareTo(Duration.ofSeconds(1)) < 0);

    CompletableFuture<Message> call = a.request("slow/op", str("cancel me"));
    eventually(() -> seen.get() != null && !seen.get().isCancelled());
    Thread.sleep(100);
    call.cancel(true);
    assertTrue(
        cancelled.await(10, TimeUnit.SECONDS), "cancellation did not reach the remote handler");
  }

  @Test
  void callsInFlightToAStoppingPeerFailWithUnavailable() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    addAndAwait(
        c,
        service(
            "stuck",
            "op",
            (req, ctx) -> {
              if (!req.getValue().equals("probe")) {
                started.countDown();
                Thread.sleep(10_000);
              }
              return CompletableFuture.completedFuture(req);
            }),
        a,
        "stuck/op");
    CompletableFuture<Message> call = a.request("stuck/op", str("wait"));
    assertTrue(started.await(10, TimeUnit.SECONDS));
    long t0 = System.nanoTime();
    c.stop();
    assertFailsWith(Status.Code.UNAVAILABLE, call);
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "not failed promptly");
  }

  @Test
  void aTransportServesTheOneNodeThatOwnsIt() throws Exception {
    QuicTransport transport =
        new QuicTransport(QuicTransportConfig.builder().security(Security.development()).build());
    NodeConfig shared = NodeConfig.builder().networkId(network).transport(transport).build();
    Node owner = Node.create(shared).start();
    nodes.add(owner);
    owner.addService(TestServices.echo("echo"));
    Node second = Node.create(shared);
    nodes.add(second);
    IllegalStateException refused = assertThrows(IllegalStateException.class, second::start);
    assertTrue(refused.getMessage().contains("could not start networking"), refused::getMessage);
    // The owner keeps its transport and serves on.
    assertTrue(transport.localAddress().getPort() > 0);
    assertEquals(
        TestServices.str("still"),
        owner.request("echo/echo", TestServices.str("still")).get(10, TimeUnit.SECONDS));
    owner.stop();
    Node afterTheOwner = Node.create(shared);
    nodes.add(afterTheOwner);
    assertThrows(IllegalStateException.class, afterTheOwner::start); // closed with its owner
  }
}
