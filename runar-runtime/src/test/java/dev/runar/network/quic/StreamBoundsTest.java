package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.security.Security;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streams a peer opens and never completes (cut short by a FIN or a reset, or simply left idle),
 * and frames that never finish arriving: each must be released at once or after a bound, so that
 * the connection's stream credit and the callee's memory never leak.
 */
class StreamBoundsTest {
  private final List<TestPeer> peers = new ArrayList<>();

  @AfterEach
  void closeAll() {
    peers.forEach(TestPeer::close);
  }

  private TestPeer peer(String id, QuicTransportConfig.Builder config) throws Exception {
    TestPeer p = new TestPeer(id, "test", config);
    peers.add(p);
    return p;
  }

  /** A frame header announcing {@code length} bytes, followed by only a few of them. */
  private static byte[] truncatedFrame(int length) {
    return new byte[] {
      (byte) (length >>> 24),
      (byte) (length >>> 16),
      (byte) (length >>> 8),
      (byte) length,
      0x32,
      0x01,
      0x02
    };
  }

  @Test
  @Timeout(60)
  void tenThousandTruncatedOrResetStreamsLeaveNoStreamHeld() throws Exception {
    TestPeer caller =
        peer("caller", QuicTransportConfig.builder().security(Security.development()));
    TestPeer callee =
        peer("callee", QuicTransportConfig.builder().security(Security.development()));
    QuicConnection toCallee =
        (QuicConnection) caller.transport.connect(callee.address()).get(10, TimeUnit.SECONDS);
    QuicConnection atCallee = (QuicConnection) callee.transport.connections().iterator().next();

    int total = 10_000;
    int batch = 500;
    for (int sent = 0; sent < total; sent += batch) {
      List<CompletableFuture<Void>> closed = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        boolean reset = (sent + i) % 2 == 0;
        QuicStreamChannel raw =
            (QuicStreamChannel)
                toCallee
                    .channel()
                    .createStream(QuicStreamType.BIDIRECTIONAL, new ClosingOnError())
                    .get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> done = new CompletableFuture<>();
        raw.closeFuture().addListener(f -> done.complete(null));
        closed.add(done);
        raw.writeAndFlush(Unpooled.wrappedBuffer(truncatedFrame(100)))
            .addListener(
                f -> {
                  if (reset) {
                    raw.shutdownOutput(0x42)
                        .addListener(r -> raw.close()); // RESET_STREAM, then gone
                  } else {
                    raw.shutdownOutput(); // FIN
                  }
                });
      }
      try {
        CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        long resetOpen = 0, finOpen = 0;
        for (int i = 0; i < closed.size(); i++) {
          if (!closed.get(i).isDone()) {
            if ((sent + i) % 2 == 0) resetOpen++;
            else finOpen++;
          }
        }
        throw new AssertionError(
            "batch at "
                + sent
                + ": still open at the caller: reset "
                + resetOpen
                + ", fin "
                + finOpen
                + "; callee holds "
                + atCallee.serving().openInboundStreams());
      }
    }
    // The control stream is the one stream the caller opened that stays.
    awaitTrue(() -> atCallee.serving().openInboundStreams() == 1, Duration.ofSeconds(10));
    assertEquals(
        1,
        atCallee.serving().openInboundStreams(),
        "streams the callee still holds, control stream included");
    // 10,000 streams is more than twice the connection's credit of 4,096: had any stream kept its
    // credit, the caller could not have opened them all, nor the call below.
    assertEquals(
        "after",
        toCallee
            .call(TestPeer.HEADER, TestPeer.payload("after"))
            .get(10, TimeUnit.SECONDS)
            .getPayload()
            .toStringUtf8());
    assertTrue(toCallee.isOpen());
  }

  @Test
  @Timeout(30)
  void aStreamWhoseFirstFrameNeverCompletesIsResetAfterTheBound() throws Exception {
    TestPeer caller =
        peer("caller", QuicTransportConfig.builder().security(Security.development()));
    TestPeer callee =
        peer(
            "callee",
            QuicTransportConfig.builder()
                .security(Security.development())
                .firstFrameTimeout(Duration.ofMillis(300)));
    QuicConnection toCallee =
        (QuicConnection) caller.transport.connect(callee.address()).get(10, TimeUnit.SECONDS);
    QuicConnection atCallee = (QuicConnection) callee.transport.connections().iterator().next();
    QuicStreamChannel raw =
        (QuicStreamChannel)
            toCallee
                .channel()
                .createStream(QuicStreamType.BIDIRECTIONAL, new ClosingOnError())
                .get(10, TimeUnit.SECONDS);
    raw.writeAndFlush(Unpooled.wrappedBuffer(truncatedFrame(1_000))).sync();
    awaitTrue(() -> atCallee.serving().openInboundStreams() == 1, Duration.ofSeconds(5));
    awaitTrue(() -> atCallee.serving().openInboundStreams() == 0, Duration.ofSeconds(5));
    assertTrue(raw.closeFuture().await(5, TimeUnit.SECONDS), "the idle stream was not reset");
  }

  @Test
  @Timeout(30)
  void incompleteFramesBeyondTheConnectionsBudgetResetTheirStreamsOnly() throws Exception {
    int budget = 8 * 1024 * 1024;
    TestPeer caller =
        peer("caller", QuicTransportConfig.builder().security(Security.development()));
    TestPeer callee =
        peer(
            "callee",
            QuicTransportConfig.builder()
                .security(Security.development())
                .maxBufferedBytesPerConnection(budget));
    QuicConnection toCallee =
        (QuicConnection) caller.transport.connect(callee.address()).get(10, TimeUnit.SECONDS);
    QuicConnection atCallee = (QuicConnection) callee.transport.connections().iterator().next();
    // 16 streams each announcing a 1 MiB frame and sending 900 KiB of it: 14 MiB if all were kept.
    int announced = 1024 * 1024;
    byte[] part = new byte[900 * 1024];
    List<QuicStreamChannel> streams = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      QuicStreamChannel raw =
          (QuicStreamChannel)
              toCallee
                  .channel()
                  .createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                  .get(10, TimeUnit.SECONDS);
      raw.write(Unpooled.wrappedBuffer(truncatedFrame(announced), 0, 4));
      raw.writeAndFlush(Unpooled.wrappedBuffer(part));
      streams.add(raw);
    }
    Thread.sleep(500);
    long held = atCallee.serving().budget().used();
    assertTrue(
        held <= budget,
        "the callee holds " + held + " bytes of incomplete frames, budget " + budget);
    assertTrue(held > 0, "nothing was buffered: the test proves nothing");
    // The connection itself and its other calls are unaffected.
    assertEquals(
        "fine",
        toCallee
            .call(TestPeer.HEADER, TestPeer.payload("fine"))
            .get(10, TimeUnit.SECONDS)
            .getPayload()
            .toStringUtf8());
    streams.forEach(QuicStreamChannel::close);
    awaitTrue(() -> atCallee.serving().budget().used() == 0, Duration.ofSeconds(5));
  }

  /** What a real client does when its stream is reset: closes its side too. */
  private static final class ClosingOnError extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static void awaitTrue(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
  }
}
