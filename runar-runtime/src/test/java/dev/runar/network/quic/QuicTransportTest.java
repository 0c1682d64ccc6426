package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.runar.Status;
import dev.runar.network.PeerConnection;
import dev.runar.network.Reply;
import dev.runar.security.Security;
import dev.runar.wire.Event;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The QUIC transport on its own, over real QUIC on 127.0.0.1. */
class QuicTransportTest {
  private final TestPeers peers = new TestPeers();

  @AfterEach
  void closeAll() {
    peers.close();
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  static Status failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    return Status.fromThrowable(e);
  }

  @Test
  void handshakeExchangesNodeInfo() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    PeerConnection toB = await(a.transport.connect(b.address()));
    assertEquals("node-b", toB.peerId());
    assertEquals(b.info, toB.peerInfo().toBuilder().clearMaxMessageSize().build());
    assertEquals(TestPeer.DEFAULT_LIMIT, toB.peerInfo().getMaxMessageSize());
    assertTrue(toB.isDialer());
    PeerConnection fromA = b.connected.poll(10, TimeUnit.SECONDS);
    assertNotNull(fromA);
    assertEquals(a.info, fromA.peerInfo().toBuilder().clearMaxMessageSize().build());
    assertFalse(fromA.isDialer());
    // Connecting again reuses the connection.
    assertSame(toB, await(a.transport.connect(b.address())));
  }

  @Test
  void requestReplyBothWays() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    PeerConnection toB = await(a.transport.connect(b.address()));
    Response r = await(toB.call(TestPeer.HEADER, TestPeer.payload("hello")));
    assertEquals("hello", r.getPayload().toStringUtf8());
    PeerConnection toA = b.connected.poll(10, TimeUnit.SECONDS);
    assertEquals(
        "back",
        await(toA.call(TestPeer.HEADER, TestPeer.payload("back"))).getPayload().toStringUtf8());
    Request withPayload =
        TestPeer.HEADER.toBuilder().setPayload(ByteString.copyFromUtf8("x")).build();
    assertThrows(
        IllegalArgumentException.class,
        () -> toB.call(withPayload, TestPeer.payload("y")),
        "a payload in the header and another beside it");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void linuxUsesTheNativeTransport() throws Exception {
    assertTrue(peers.start("node-a").transport.isNative(), "epoll: " + Epoll.unavailabilityCause());
  }

  @Test
  void nativeAndNioSocketsTalkToEachOther() throws Exception {
    TestPeer nio =
        peers.start(
            "node-nio",
            QuicTransportConfig.builder().security(Security.development()).nativeTransport(false));
    assertFalse(nio.transport.isNative());
    TestPeer other = peers.start("node-other");
    PeerConnection toOther = await(nio.transport.connect(other.address()));
    String big = "x".repeat(100_000); // many packets each way
    assertEquals(
        big,
        await(toOther.call(TestPeer.HEADER, TestPeer.payload(big))).getPayload().toStringUtf8());
    PeerConnection toNio = other.connected.poll(10, TimeUnit.SECONDS);
    assertEquals(
        big, await(toNio.call(TestPeer.HEADER, TestPeer.payload(big))).getPayload().toStringUtf8());
  }

  @Test
  void tenThousandCallsWith256InFlightOverOneConnection() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    PeerConnection toB = await(a.transport.connect(b.address()));
    int calls = 10_000;
    Semaphore inFlight = new Semaphore(256);
    AtomicInteger mismatched = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<Response>> all = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      assertTrue(inFlight.tryAcquire(10, TimeUnit.SECONDS), "stalled at call " + i);
      String payload = "call-" + i;
      CompletableFuture<Response> f = toB.call(TestPeer.HEADER, TestPeer.payload(payload));
      f.whenComplete(
          (r, e) -> {
            inFlight.release();
            if (e != null) {
              failed.incrementAndGet();
            } else if (!r.getPayload().toStringUtf8().equals(payload)) {
              mismatched.incrementAndGet();
            }
          });
      all.add(f);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null)
        .get(60, TimeUnit.SECONDS);
    assertEquals(0, failed.get());
    assertEquals(0, mismatched.get());
    assertTrue(toB.isOpen());
  }

  /**
   * A node in direct mode completes calls on the event loop, each read's replies together at its
   * end (ReadBursts). Every completion here starts the next call of its chain from the event loop,
   * some too large for a lane: none may be stranded or run elsewhere.
   */
  @Test
  void directCallbacksRunOnTheEventLoopAndCallsMadeThereComplete() throws Exception {
    TestPeer a =
        new TestPeer(
            "node-a",
            "test",
            QuicTransportConfig.builder().security(Security.development()),
            Optional.of(MoreExecutors.directExecutor()));
    peers.add(a);
    TestPeer b = peers.start("node-b");
    PeerConnection toB = await(a.transport.connect(b.address()));
    int chains = 64;
    int callsPerChain = 40;
    CountDownLatch done = new CountDownLatch(chains);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger wrong = new AtomicInteger();
    for (int i = 0; i < chains; i++) {
      String name = "chain-" + i;
      // Started on the event loop too: a callback added from here to a call that already completed
      // (this thread preempted meanwhile) would run here, on the test's thread.
      ((QuicConnection) toB)
          .channel()
          .eventLoop()
          .execute(() -> chain(toB, name, callsPerChain, threads, wrong, done));
    }
    assertTrue(done.await(60, TimeUnit.SECONDS), done.getCount() + " chains unfinished");
    assertEquals(0, wrong.get());
    assertEquals(1, threads.size(), threads.toString());
    assertTrue(threads.iterator().next().startsWith("runar-quic-"), threads.toString());
  }

  private static void chain(
      PeerConnection to,
      String name,
      int left,
      Set<String> threads,
      AtomicInteger wrong,
      CountDownLatch done) {
    // Every tenth call is over the lane limit, so it takes a stream of its own.
    String text = left % 10 == 0 ? name + "x".repeat(CallerLanes.MAX_LANE_PAYLOAD) : name;
    to.call(TestPeer.HEADER, TestPeer.payload(text))
        .whenComplete(
            (reply, error) -> {
              threads.add(Thread.currentThread().getName());
              if (error != null || !reply.getPayload().toStringUtf8().equals(text)) {
                wrong.incrementAndGet();
              }
              if (left > 1) {
                chain(to, name, left - 1, threads, wrong, done);
              } else {
                done.countDown();
              }
            });
  }

  @Test
  void oversizedRequestAndReplyFailTheirCallOnly() throws Exception {
    TestPeer a =
        peers.start(
            "node-a",
            QuicTransportConfig.builder().security(Security.development()).maxMessageSize(1024));
    TestPeer b =
        peers.start(
            "node-b",
            QuicTransportConfig.builder().security(Security.development()).maxMessageSize(1024));
    PeerConnection toB = await(a.transport.connect(b.address()));
    Status tooBig = failure(toB.call(TestPeer.HEADER, TestPeer.payload("x".repeat(2048))));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.code());

    b.behaviour =
        req ->
            CompletableFuture.completedFuture(
                TestPeer.ok(ByteString.copyFromUtf8("y".repeat(4096))));
    Response bigReply = await(toB.call(TestPeer.HEADER, TestPeer.payload("small")));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, TestPeer.status(bigReply).code());

    b.behaviour = req -> CompletableFuture.completedFuture(TestPeer.ok(req.getPayload()));
    assertEquals(
        "fine",
        await(toB.call(TestPeer.HEADER, TestPeer.payload("fine"))).getPayload().toStringUtf8());
    assertTrue(toB.isOpen());
  }

  @Test
  void receiverEnforcesItsOwnLimit() throws Exception {
    TestPeer a =
        peers.start(
            "node-a",
            QuicTransportConfig.builder().security(Security.development()).maxMessageSize(1 << 20));
    TestPeer b =
        peers.start(
            "node-b",
            QuicTransportConfig.builder().security(Security.development()).maxMessageSize(1024));
    PeerConnection toB = await(a.transport.connect(b.address()));
    // Over b's payload limit, under its frame limit: refused by the payload check.
    assertEquals(
        Status.Code.RESOURCE_EXHAUSTED,
        TestPeer.status(await(toB.call(TestPeer.HEADER, TestPeer.payload("x".repeat(4096)))))
            .code());
    // Over b's frame limit: refused by the decoder without buffering the frame.
    assertEquals(
        Status.Code.RESOURCE_EXHAUSTED,
        TestPeer.status(await(toB.call(TestPeer.HEADER, TestPeer.payload("x".repeat(200_000)))))
            .code());
    assertEquals(
        "ok", await(toB.call(TestPeer.HEADER, TestPeer.payload("ok"))).getPayload().toStringUtf8());
  }

  @Test
  void garbageOnAStreamFailsThatStreamOnly() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    CompletableFuture<Object> reply = new CompletableFuture<>();
    QuicStreamChannel raw =
        (QuicStreamChannel)
            toB.channel()
                .createStream(
                    QuicStreamType.BIDIRECTIONAL,
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        reply.complete(msg);
                      }
                    })
                .get(10, TimeUnit.SECONDS);
    raw.pipeline().addFirst(new FrameCodec.Decoder(1 << 20, new ByteBudget(Long.MAX_VALUE)));
    byte[] junk = {0, 0, 0, 6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x7a};
    raw.writeAndFlush(Unpooled.wrappedBuffer(junk)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
    Object answer = reply.get(10, TimeUnit.SECONDS);
    Response response = ((dev.runar.wire.Frame) answer).getResponse();
    assertEquals(Status.Code.INVALID_ARGUMENT, TestPeer.status(response).code());
    // The connection and its other calls are fine.
    assertEquals(
        "still",
        await(toB.call(TestPeer.HEADER, TestPeer.payload("still"))).getPayload().toStringUtf8());
    assertTrue(toB.isOpen());
  }

  @Test
  void peerLossFailsInFlightCallsPromptly() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    b.behaviour = req -> new CompletableFuture<>(); // never answers
    PeerConnection toB = await(a.transport.connect(b.address()));
    CompletableFuture<Response> pending = toB.call(TestPeer.HEADER, TestPeer.payload("wait"));
    QuicConnection fromA = (QuicConnection) b.connected.poll(10, TimeUnit.SECONDS);
    long start = System.nanoTime();
    fromA.channel().close(); // b drops the connection without a goodbye
    Status s = failure(pending);
    assertEquals(Status.Code.UNAVAILABLE, s.code());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "failure was not prompt");
    assertNotNull(a.disconnected.poll(10, TimeUnit.SECONDS));
    assertEquals(
        Status.Code.UNAVAILABLE,
        failure(toB.call(TestPeer.HEADER, TestPeer.payload("after"))).code());
  }

  @Test
  void callerCancellationReachesThePeer() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    CompletableFuture<Response> never = new CompletableFuture<>();
    b.behaviour = req -> never;
    PeerConnection toB = await(a.transport.connect(b.address()));
    CompletableFuture<Response> call = toB.call(TestPeer.HEADER, TestPeer.payload("cancel me"));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (b.served.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertFalse(b.served.isEmpty(), "request never arrived");
    call.cancel(true);
    CompletableFuture<Reply> served = b.served.get(0);
    while (!served.isCancelled() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertTrue(served.isCancelled(), "the peer's call was not cancelled");
  }

  @Test
  void simultaneousDialEndsWithOneConnection() throws Exception {
    for (int round = 0; round < 3; round++) {
      TestPeer a = peers.start("node-a" + round);
      TestPeer b = peers.start("node-b" + round);
      CompletableFuture<PeerConnection> ab = a.transport.connect(b.address());
      CompletableFuture<PeerConnection> ba = b.transport.connect(a.address());
      PeerConnection fromA = await(ab);
      PeerConnection fromB = await(ba);
      // Both sides settle on the connection node-a (the smaller id) dialed.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!settled(a, true) || !settled(b, false)) {
        assertTrue(
            System.nanoTime() < end,
            "did not settle on one connection: "
                + a.transport.connections()
                + " / "
                + b.transport.connections());
        Thread.sleep(10);
      }
      PeerConnection survivorA = a.transport.connections().iterator().next();
      PeerConnection survivorB = b.transport.connections().iterator().next();
      assertEquals(
          "x",
          await(survivorA.call(TestPeer.HEADER, TestPeer.payload("x")))
              .getPayload()
              .toStringUtf8());
      assertEquals(
          "y",
          await(survivorB.call(TestPeer.HEADER, TestPeer.payload("y")))
              .getPayload()
              .toStringUtf8());
      assertNotNull(fromA);
      assertNotNull(fromB);
    }
  }

  private static boolean settled(TestPeer peer, boolean dialer) {
    var connections = peer.transport.connections();
    return connections.size() == 1 && connections.iterator().next().isDialer() == dialer;
  }

  @Test
  void gracefulCloseDrainsCallsInFlightAndRefusesNewOnes() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b =
        peers.start(
            "node-b",
            QuicTransportConfig.builder()
                .security(Security.development())
                .shutdownGracePeriod(Duration.ofSeconds(5)));
    b.behaviour =
        req ->
            CompletableFuture.supplyAsync(
                () -> TestPeer.ok(req.getPayload()),
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
    PeerConnection toB = await(a.transport.connect(b.address()));
    CompletableFuture<Response> inFlight = toB.call(TestPeer.HEADER, TestPeer.payload("drained"));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (b.served.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    Thread closer = new Thread(b.transport::close);
    closer.start();
    assertEquals("drained", await(inFlight).getPayload().toStringUtf8());
    while (toB.isOpen() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertEquals(
        Status.Code.UNAVAILABLE,
        failure(toB.call(TestPeer.HEADER, TestPeer.payload("late"))).code());
    closer.join(10_000);
    assertFalse(closer.isAlive());
  }

  @Test
  void wrongNetworkIsRefused() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer other =
        new TestPeer(
            "node-x", "elsewhere", QuicTransportConfig.builder().security(Security.development()));
    peers.add(other);
    Status s = failure(a.transport.connect(other.address()));
    assertEquals(Status.Code.PERMISSION_DENIED, s.code());
    assertTrue(s.description().contains("elsewhere"), s.description());
  }

  @Test
  void capabilityUpdatesAndEventsReachThePeer() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    PeerConnection toB = await(a.transport.connect(b.address()));
    assertNotNull(b.connected.poll(10, TimeUnit.SECONDS));
    for (int i = 0; i < 100; i++) {
      toB.sendEvent(Event.newBuilder().setTopic("test:t/" + i).build());
    }
    for (int i = 0; i < 100; i++) {
      assertEquals("test:t/" + i, b.events.poll(10, TimeUnit.SECONDS).getTopic());
    }
    b.info = TestPeer.info("node-b", "test", 2);
    b.transport.updateLocalInfo(b.info);
    PeerConnection updated = a.updated.poll(10, TimeUnit.SECONDS);
    assertEquals(2, updated.peerInfo().getCapabilityVersion());
  }

  @Test
  void keepAliveHoldsAnIdleConnectionOpen() throws Exception {
    QuicTransportConfig.Builder shortIdle =
        QuicTransportConfig.builder()
            .security(Security.development())
            .idleTimeout(Duration.ofMillis(600))
            .keepAliveInterval(Duration.ofMillis(150));
    TestPeer a = peers.start("node-a", shortIdle);
    TestPeer b = peers.start("node-b", shortIdle);
    PeerConnection toB = await(a.transport.connect(b.address()));
    Thread.sleep(2_000); // more than three idle timeouts without a call
    assertTrue(toB.isOpen());
    assertEquals(
        "alive",
        await(toB.call(TestPeer.HEADER, TestPeer.payload("alive"))).getPayload().toStringUtf8());
  }

  @Test
  void anIncompatibleProtocolVersionIsRefused() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer future = peers.start("node-f");
    future.info =
        future.info.toBuilder().setProtocolVersion(QuicConnection.PROTOCOL_VERSION + 1).build();
    future.transport.updateLocalInfo(future.info);
    Status s = failure(future.transport.connect(a.address()));
    assertEquals(Status.Code.FAILED_PRECONDITION, s.code());
    assertTrue(s.description().contains("protocol"), s.description());
  }

  @Test
  void aTransportWithoutAChosenSecurityModeRefusesToBuild() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> QuicTransportConfig.builder().build());
    assertTrue(e.getMessage().contains("Security.development()"), e.getMessage());
    assertTrue(e.getMessage().contains("Security.networkCa"), e.getMessage());
  }

  @Test
  void developmentModeNeedsNoCredentials() throws Exception {
    TestPeer a =
        peers.start("node-a", QuicTransportConfig.builder().security(Security.development()));
    TestPeer b =
        peers.start("node-b", QuicTransportConfig.builder().security(Security.development()));
    assertEquals(
        "dev",
        await(
                await(a.transport.connect(b.address()))
                    .call(TestPeer.HEADER, TestPeer.payload("dev")))
            .getPayload()
            .toStringUtf8());
  }
}
