package dev.runar.network.quic;

import static dev.runar.network.quic.QuicTransportTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runar.Status;
import dev.runar.network.HeardOutcomes;
import dev.runar.network.PeerConnection;
import dev.runar.network.Reply;
import dev.runar.network.SentCall;
import dev.runar.security.Security;
import dev.runar.wire.Frame;
import dev.runar.wire.LaneOpen;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Unary calls multiplexed on lanes: many calls per stream, ids, cancel, limits and bounds. */
@Timeout(60)
class LaneTest {
  private final TestPeers peers = new TestPeers();

  @AfterEach
  void closeAll() {
    peers.close();
  }

  @Test
  void manyCallsInterleaveOnAFewLanesAndRepliesMayOvertakeEachOther() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    // Calls named "slow-*" answer only after every "fast-*" call was answered: replies must be
    // matched by call id, not by order.
    CountDownLatch fastDone = new CountDownLatch(100);
    b.behaviour =
        req -> {
          String s = req.getPayload().toStringUtf8();
          if (s.startsWith("slow")) {
            return CompletableFuture.supplyAsync(
                () -> {
                  try {
                    assertTrue(fastDone.await(10, TimeUnit.SECONDS));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return TestPeer.ok(req.getPayload());
                });
          }
          return CompletableFuture.completedFuture(TestPeer.ok(req.getPayload()));
        };
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    QuicConnection atB = (QuicConnection) b.connected.poll(10, TimeUnit.SECONDS);
    List<CompletableFuture<Response>> slow = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      slow.add(toB.call(TestPeer.HEADER, TestPeer.payload("slow-" + i)));
    }
    for (int i = 0; i < 100; i++) {
      String payload = "fast-" + i;
      assertEquals(
          payload,
          await(toB.call(TestPeer.HEADER, TestPeer.payload(payload))).getPayload().toStringUtf8());
      fastDone.countDown();
    }
    for (int i = 0; i < 20; i++) {
      assertEquals("slow-" + i, await(slow.get(i)).getPayload().toStringUtf8());
    }
    // 120 calls, and the callee holds the control stream and the caller's lanes only.
    assertTrue(
        atB.serving().openInboundStreams() <= 1 + CallerLanes.LANES,
        "streams held: " + atB.serving().openInboundStreams());
  }

  @Test
  void aCancelledCallIsCancelledAtThePeerAndTheLaneGoesOn() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = echoingUnlessHang(peers.start("node-b"));
    PeerConnection toB = await(a.transport.connect(b.address()));
    CompletableFuture<Response> call = toB.call(TestPeer.HEADER, TestPeer.payload("hang"));
    awaitTrue(() -> !b.served.isEmpty());
    call.cancel(true);
    CompletableFuture<Reply> served = b.served.get(0);
    awaitTrue(served::isCancelled);
    assertTrue(served.isCancelled(), "the Cancel frame did not reach the callee");
    for (int i = 0; i < 10; i++) {
      assertEquals(
          "after",
          await(toB.call(TestPeer.HEADER, TestPeer.payload("after"))).getPayload().toStringUtf8());
    }
  }

  @Test
  void aListenerHearsOneOutcomeAndCancellingItsCallTellsThePeer() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = echoingUnlessHang(peers.start("node-b"));
    PeerConnection toB = await(a.transport.connect(b.address()));

    HeardOutcomes answered = new HeardOutcomes();
    SentCall first = toB.call(TestPeer.HEADER, 1_000_000, TestPeer.payload("hello"), answered);
    assertEquals("hello", answered.await().getPayload().toStringUtf8());
    first.cancel(); // ended already: neither the peer nor the listener hears of it
    assertEquals(1, answered.heard().size());

    HeardOutcomes hung = new HeardOutcomes();
    SentCall call = toB.call(TestPeer.HEADER, 1_000_000, TestPeer.payload("hang"), hung);
    awaitTrue(() -> b.served.size() == 2);
    call.cancel();
    // Told on the cancelling thread, before cancel returns.
    assertInstanceOf(CancellationException.class, hung.heard().get(0));
    call.cancel();
    assertEquals(1, hung.heard().size());
    CompletableFuture<Reply> served = b.served.get(1);
    awaitTrue(served::isCancelled);
    assertTrue(served.isCancelled(), "the Cancel frame did not reach the callee");
  }

  /** {@code peer}, echoing every call but one whose payload is "hang", which never ends. */
  private static TestPeer echoingUnlessHang(TestPeer peer) {
    CompletableFuture<Response> never = new CompletableFuture<>();
    peer.behaviour =
        req ->
            req.getPayload().toStringUtf8().equals("hang")
                ? never
                : CompletableFuture.completedFuture(TestPeer.ok(req.getPayload()));
    return peer;
  }

  @Test
  void aLargeCallDoesNotHoldUpSmallOnes() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    String big = "x".repeat(3 * 1024 * 1024);
    CountDownLatch smallDone = new CountDownLatch(200);
    b.behaviour =
        req -> {
          if (req.getPayload().size() < 1000) {
            return CompletableFuture.completedFuture(TestPeer.ok(req.getPayload()));
          }
          // The large call ends only once every small call sent after it was answered.
          return CompletableFuture.supplyAsync(
              () -> {
                try {
                  assertTrue(smallDone.await(20, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return TestPeer.ok(req.getPayload());
              });
        };
    PeerConnection toB = await(a.transport.connect(b.address()));
    CompletableFuture<Response> large = toB.call(TestPeer.HEADER, TestPeer.payload(big));
    for (int i = 0; i < 200; i++) {
      assertEquals(
          "s" + i,
          await(toB.call(TestPeer.HEADER, TestPeer.payload("s" + i))).getPayload().toStringUtf8());
      smallDone.countDown();
    }
    assertEquals(big.length(), large.get(20, TimeUnit.SECONDS).getPayload().size());
  }

  @Test
  void anOversizedRequestOnALaneFailsOnlyItsCall() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b =
        peers.start(
            "node-b",
            QuicTransportConfig.builder().security(Security.development()).maxMessageSize(1024));
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    // A raw lane, as a caller that ignores the callee's advertised limit would use it.
    Map<Long, Response> replies = new ConcurrentHashMap<>();
    QuicStreamChannel lane = rawLane(toB, replies);
    byte[] bytes =
        concat(
            frame(Frame.newBuilder().setLaneOpen(LaneOpen.getDefaultInstance()).build()),
            frame(request(1, "x".repeat(2048))),
            frame(request(2, "fine")));
    lane.writeAndFlush(Unpooled.wrappedBuffer(bytes)).sync();
    awaitTrue(() -> replies.size() == 2);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, TestPeer.status(replies.get(1L)).code());
    assertEquals("fine", replies.get(2L).getPayload().toStringUtf8());
    assertTrue(lane.isActive(), "the lane was closed for one call's fault");
  }

  @Test
  void aReplyOverTheCallersAdvertisedLimitFailsOnlyItsCall() throws Exception {
    TestPeer a =
        peers.start(
            "node-a",
            QuicTransportConfig.builder().security(Security.development()).maxMessageSize(1024));
    TestPeer b = peers.start("node-b");
    b.behaviour =
        req ->
            CompletableFuture.completedFuture(
                req.getPayload().toStringUtf8().equals("big")
                    ? TestPeer.ok(ByteString.copyFromUtf8("y".repeat(4096)))
                    : TestPeer.ok(req.getPayload()));
    PeerConnection toB = await(a.transport.connect(b.address()));
    Response refused = await(toB.call(TestPeer.HEADER, TestPeer.payload("big")));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, TestPeer.status(refused).code());
    assertEquals(
        "ok", await(toB.call(TestPeer.HEADER, TestPeer.payload("ok"))).getPayload().toStringUtf8());
    assertTrue(toB.isOpen());
  }

  @Test
  void aLaneFrameThatNeverCompletesResetsTheLaneAfterTheBound() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b", Duration.ofMillis(300));
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    QuicConnection atB = (QuicConnection) b.connected.poll(10, TimeUnit.SECONDS);
    QuicStreamChannel lane = rawLane(toB, new ConcurrentHashMap<>());
    byte[] open = frame(Frame.newBuilder().setLaneOpen(LaneOpen.getDefaultInstance()).build());
    lane.writeAndFlush(Unpooled.wrappedBuffer(concat(open, new byte[] {0, 0, 1, 0, 0x32}))).sync();
    // Idle lanes stay (the lane and the control stream), a stalled frame does not.
    awaitTrue(() -> atB.serving().openInboundStreams() == 2);
    awaitTrue(() -> atB.serving().openInboundStreams() == 1);
    assertEquals(1, atB.serving().openInboundStreams(), "the stalled lane was not reset");
    assertTrue(lane.closeFuture().await(5, TimeUnit.SECONDS));
    assertFalse(b.transport.connections().isEmpty());
    assertEquals(
        "still",
        await(toB.call(TestPeer.HEADER, TestPeer.payload("still"))).getPayload().toStringUtf8());
  }

  private static QuicStreamChannel rawLane(QuicConnection connection, Map<Long, Response> replies)
      throws Exception {
    QuicStreamChannel lane =
        (QuicStreamChannel)
            connection
                .channel()
                .createStream(
                    QuicStreamType.BIDIRECTIONAL,
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof Frame f && f.hasResponse()) {
                          replies.put(f.getResponse().getCallId(), f.getResponse());
                        }
                      }

                      @Override
                      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                      }
                    })
                .get(10, TimeUnit.SECONDS);
    lane.pipeline().addFirst(new FrameCodec.Decoder(1 << 20, new ByteBudget(Long.MAX_VALUE)));
    return lane;
  }

  private static Frame request(long id, String payload) {
    return Frame.newBuilder()
        .setRequest(
            Request.newBuilder()
                .setPath("test:echo/say")
                .setCallId(id)
                .setPayload(ByteString.copyFromUtf8(payload)))
        .build();
  }

  private static byte[] frame(Frame frame) {
    return RawStreams.framed(frame.toByteArray());
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
  }
}
