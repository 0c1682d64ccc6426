package dev.runar.network.quic;

import static dev.runar.network.quic.QuicTransportTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.runar.Status;
import dev.runar.network.CallStream;
import dev.runar.network.Payload;
import dev.runar.network.ReplyMetadata;
import dev.runar.wire.Frame;
import dev.runar.wire.MethodType;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import dev.runar.wire.StreamMessage;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streaming calls' streams end on both sides however the call ends, and hold nothing after. */
@Timeout(60)
class StreamCallEndTest {
  private static final Request CHAT =
      Request.newBuilder().setPath("test:echo/chat").setType(MethodType.BIDI_STREAMING).build();

  private final TestPeers peers = new TestPeers();

  @AfterEach
  void closeAll() {
    peers.close();
  }

  /**
   * The callee ends each call (UNIMPLEMENTED) before the caller ends its side: the caller hears the
   * status, and both sides' streams close, so that the callee serves nothing after.
   */
  @Test
  void streamsTheCalleeEndsFirstCloseOnBothSides() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    QuicConnection atB = (QuicConnection) b.connected.poll(10, TimeUnit.SECONDS);
    int before = atB.serving().openInboundStreams();
    for (int i = 0; i < 20; i++) {
      CallStream call = toB.openStream(CHAT, new ReplyMetadata());
      assertEquals(Status.Code.UNIMPLEMENTED, Status.fromThrowable(ended(call)).code());
    }
    assertTrue(
        eventually(() -> atB.serving().openInboundStreams() == before),
        () -> "streams the callee still holds: " + (atB.serving().openInboundStreams() - before));
    assertEquals(0, atB.serving().running(), "calls the callee still counts as running");
    assertTrue(toB.isOpen());
  }

  /**
   * A caller that never ends its side of a call the callee ended (no FIN, no reset) holds the
   * callee's stream no longer than the frame timeout.
   */
  @Test
  void aCallerThatNeverEndsItsSideHasTheStreamResetAfterTheBound() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b", Duration.ofMillis(300));
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    QuicConnection atB = (QuicConnection) b.connected.poll(10, TimeUnit.SECONDS);
    int before = atB.serving().openInboundStreams();
    QuicStreamChannel stream = RawStreams.open(toB.channel());
    byte[] header = RawStreams.framed(Frame.newBuilder().setRequest(CHAT).build().toByteArray());
    stream.writeAndFlush(Unpooled.wrappedBuffer(header)).sync();
    assertTrue(
        eventually(() -> atB.serving().openInboundStreams() == before + 1),
        "the callee never opened the call");
    assertTrue(
        eventually(() -> atB.serving().openInboundStreams() == before),
        "the callee still holds the stream");
    assertEquals(0, atB.serving().running());
  }

  /**
   * Replies that reach unary calls on streams of their own after their callers cancelled them (the
   * handler ignored the cancel) are read and dropped: 20 replies of 4 MiB, more than the
   * connection's flow-control window, leave it open to the calls after them.
   */
  @Test
  void repliesToCancelledCallsOnStreamsOfTheirOwnDoNotStallTheConnection() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    ByteString large = ByteString.copyFrom(new byte[4 * 1024 * 1024 - 4096]);
    b.ignoresCancellation = true;
    b.behaviour =
        req ->
            req.getPayload().size() > CallerLanes.MAX_LANE_PAYLOAD
                ? CompletableFuture.supplyAsync(
                    () -> TestPeer.ok(large),
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS))
                : CompletableFuture.completedFuture(TestPeer.ok(req.getPayload()));
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    QuicConnection atB = (QuicConnection) b.connected.poll(10, TimeUnit.SECONDS);
    Payload request = TestPeer.payload("x".repeat(CallerLanes.MAX_LANE_PAYLOAD + 1));
    for (int i = 0; i < 20; i++) {
      CompletableFuture<Response> call = toB.call(TestPeer.HEADER, request);
      int served = i + 1;
      assertTrue(eventually(() -> b.served.size() == served), "the callee never had the call");
      call.cancel(true); // before its reply, which comes 100 ms after the request
    }
    assertTrue(eventually(() -> atB.serving().running() == 0), "replies not all written");
    assertEquals(
        "after",
        await(toB.call(TestPeer.HEADER, TestPeer.payload("after"))).getPayload().toStringUtf8());
    assertTrue(toB.isOpen());
  }

  /**
   * A caller that ends its side (FIN) before its {@code HalfClose} abandoned the call: the handler
   * reading its requests hears CANCELLED instead of waiting for more forever, and the stream
   * closes.
   */
  @Test
  void aCallerEndingItsSideWithoutAHalfCloseCancelsTheCall() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    CompletableFuture<CompletableFuture<Throwable>> requests = new CompletableFuture<>();
    b.streams = stream -> requests.complete(endOf(stream.inbound(), Long.MAX_VALUE));
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    QuicConnection atB = (QuicConnection) b.connected.poll(10, TimeUnit.SECONDS);
    int before = atB.serving().openInboundStreams();
    QuicStreamChannel stream = RawStreams.open(toB.channel());
    Frame message =
        Frame.newBuilder()
            .setMessage(StreamMessage.newBuilder().setPayload(ByteString.copyFromUtf8("one")))
            .build();
    stream
        .writeAndFlush(
            Unpooled.wrappedBuffer(
                RawStreams.framed(Frame.newBuilder().setRequest(CHAT).build().toByteArray()),
                RawStreams.framed(message.toByteArray())))
        .sync();
    stream.shutdownOutput().sync(); // a FIN, and no HalfClose
    assertEquals(
        Status.Code.CANCELLED,
        Status.fromThrowable(requests.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).code());
    assertTrue(
        eventually(() -> atB.serving().openInboundStreams() == before),
        "the callee still holds the stream");
  }

  /**
   * A caller cancels a call whose callee reads no more, the stream's window full of its messages:
   * the callee hears the Cancel all the same (it comes on the control stream too), instead of
   * running on until its deadline.
   */
  @Test
  void aCancelReachesACalleeThatReadsNoMore() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    CompletableFuture<CompletableFuture<Throwable>> requests = new CompletableFuture<>();
    b.streams = stream -> requests.complete(endOf(stream.inbound(), 0));
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    CallStream call = toB.openStream(CHAT, new ReplyMetadata());
    AtomicInteger sent = new AtomicInteger();
    ByteString message = ByteString.copyFrom(new byte[64 * 1024]);
    Flow.Publisher<ByteString> messages =
        subscriber ->
            subscriber.onSubscribe(
                new Flow.Subscription() {
                  @Override
                  public void request(long n) {
                    for (long i = 0; i < n; i++) {
                      sent.incrementAndGet();
                      subscriber.onNext(message);
                    }
                  }

                  @Override
                  public void cancel() {}
                });
    messages.subscribe(call.outbound());
    CompletableFuture<Throwable> requestsEnded = requests.get(10, TimeUnit.SECONDS);
    // Sent until the stream's window and the connection's queue are full: the caller stops.
    int before;
    do {
      before = sent.get();
      Thread.sleep(300);
    } while (sent.get() != before);
    assertTrue(before > 16, "messages sent: " + before);
    call.cancel();
    assertEquals(
        Status.Code.CANCELLED, Status.fromThrowable(requestsEnded.get(5, TimeUnit.SECONDS)).code());
  }

  /**
   * A caller that reads its responses slower than the callee's bound on a caller's end still gets
   * every message and the call's status: once all it sent is handed to QUIC, the callee stops only
   * the caller's side.
   */
  @Test
  void aSlowReaderGetsEveryMessageAndTheStatusPastTheBound() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b", Duration.ofMillis(300));
    int count = 20;
    b.streams =
        stream -> {
          endOf(stream.inbound(), Long.MAX_VALUE);
          Flow.Subscriber<ByteString> out = stream.outbound();
          out.onSubscribe(
              new Flow.Subscription() {
                private int sent;

                @Override
                public void request(long n) {
                  for (long i = 0; i < n && sent < count; i++) {
                    out.onNext(ByteString.copyFrom(new byte[16 * 1024]));
                    if (++sent == count) {
                      out.onComplete();
                    }
                  }
                }

                @Override
                public void cancel() {}
              });
        };
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    CallStream call = callWithoutRequests(toB);
    AtomicInteger received = new AtomicInteger();
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    call.inbound()
        .subscribe(
            new Flow.Subscriber<ByteString>() {
              private Flow.Subscription subscription;

              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
              }

              @Override
              public void onNext(ByteString item) {
                received.incrementAndGet();
                try {
                  Thread.sleep(50); // 20 messages take a second: over three times the bound
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                subscription.request(1);
              }

              @Override
              public void onError(Throwable t) {
                ended.complete(t);
              }

              @Override
              public void onComplete() {
                ended.complete(null);
              }
            });
    Throwable end = ended.get(10, TimeUnit.SECONDS);
    assertEquals(null, end, () -> "the call failed: " + end);
    assertEquals(count, received.get());
  }

  /**
   * The messages a callee sent before it failed the call reach a caller that had not asked for them
   * yet, before the failure: reading ahead for the call's end, the caller reads them with it.
   */
  @Test
  void messagesSentBeforeAFailureArriveBeforeIt() throws Exception {
    TestPeer a = peers.start("node-a");
    TestPeer b = peers.start("node-b");
    b.streams =
        stream -> {
          endOf(stream.inbound(), Long.MAX_VALUE);
          Flow.Subscriber<ByteString> out = stream.outbound();
          out.onSubscribe(
              new Flow.Subscription() {
                private boolean sent;

                @Override
                public void request(long n) {
                  if (!sent) { // both messages and the failure in one turn: one packet
                    sent = true;
                    out.onNext(ByteString.copyFromUtf8("one"));
                    out.onNext(ByteString.copyFromUtf8("two"));
                    out.onError(Status.ABORTED.withDescription("on purpose").asException());
                  }
                }

                @Override
                public void cancel() {}
              });
        };
    QuicConnection toB = (QuicConnection) await(a.transport.connect(b.address()));
    CallStream call = callWithoutRequests(toB);
    Thread.sleep(300); // all the callee sends arrives, and waits unread: nobody subscribed yet
    List<String> signals = new CopyOnWriteArrayList<>();
    CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    call.inbound()
        .subscribe(
            new Flow.Subscriber<ByteString>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscribed.complete(s);
              }

              @Override
              public void onNext(ByteString item) {
                signals.add(item.toStringUtf8());
              }

              @Override
              public void onError(Throwable t) {
                signals.add(Status.fromThrowable(t).code().toString());
                ended.complete(null);
              }

              @Override
              public void onComplete() {
                signals.add("complete");
                ended.complete(null);
              }
            });
    Flow.Subscription subscription = subscribed.get(10, TimeUnit.SECONDS);
    Thread.sleep(100); // the caller reads it all, the failure with it, nothing asked for yet
    subscription.request(10);
    ended.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("one", "two", "ABORTED"), signals);
  }

  /** A call on {@code connection} whose caller sends no requests: a HalfClose at once. */
  private static CallStream callWithoutRequests(QuicConnection connection) {
    CallStream call = connection.openStream(CHAT, new ReplyMetadata());
    Flow.Subscriber<ByteString> requests = call.outbound();
    requests.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
    requests.onComplete();
    return call;
  }

  /** Whether {@code condition} holds within 5 s. */
  private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  /** How {@code call} ended, its responses all wanted and dropped. */
  private static Throwable ended(CallStream call) throws Exception {
    return endOf(call.inbound(), Long.MAX_VALUE).get(10, TimeUnit.SECONDS);
  }

  /**
   * Subscribes to {@code messages}, wanting {@code wanted} of them and dropping them; completes
   * with the error they end with (an IllegalStateException when they complete).
   */
  private static CompletableFuture<Throwable> endOf(
      Flow.Publisher<ByteString> messages, long wanted) {
    CompletableFuture<Throwable> end = new CompletableFuture<>();
    messages.subscribe(
        new Flow.Subscriber<ByteString>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            if (wanted > 0) {
              s.request(wanted);
            }
          }

          @Override
          public void onNext(ByteString item) {}

          @Override
          public void onError(Throwable t) {
            end.complete(t);
          }

          @Override
          public void onComplete() {
            end.complete(new IllegalStateException("completed"));
          }
        });
    return end;
  }
}
