package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.security.Security;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections that never become peers (a wrong ALPN, a client that goes away right after the TLS
 * handshake without a Hello) must leave no state behind: the transport's connection table returns
 * to its size before them.
 */
class HandshakeBoundsTest {
  @Test
  @Timeout(60)
  void aThousandFailedHandshakesLeaveTheConnectionTableAsItWas() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (TestPeer server =
            new TestPeer(
                "server", "test", QuicTransportConfig.builder().security(Security.development()));
        TestPeer friend =
            new TestPeer(
                "friend", "test", QuicTransportConfig.builder().security(Security.development()))) {
      friend.transport.connect(server.address()).get(10, TimeUnit.SECONDS);
      assertTrue(
          awaitSize(server.transport, 1),
          () -> "tracked: " + server.transport.trackedConnections());
      int before = server.transport.trackedConnections();

      Channel wrongAlpn = client(group, "not-runar");
      Channel rightAlpn = client(group, QuicTransportConfig.ALPN);
      List<Future<QuicChannel>> attempts = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        Channel socket = i % 2 == 0 ? wrongAlpn : rightAlpn;
        attempts.add(
            QuicChannel.newBootstrap(socket)
                .handler(new ChannelInboundHandlerAdapter())
                .streamHandler(new ChannelInboundHandlerAdapter())
                .remoteAddress(server.address())
                .connect());
        if (i % 100 == 99) {
          Thread.sleep(20); // in waves, as a scanner would, not one burst of datagrams
        }
      }
      int handshaken = 0;
      for (Future<QuicChannel> attempt : attempts) {
        // The wrong ALPN fails the TLS handshake (the client hears nothing back: it just waits).
        if (attempt.await(10, TimeUnit.SECONDS) && attempt.isSuccess()) {
          attempt.getNow().close(); // handshaken, then gone without a Hello
          handshaken++;
        }
        if (!attempt.isDone()) {
          attempt.cancel(false);
        }
      }
      // Some of a wave's Initials may be dropped by the socket buffers; enough must get through.
      int completed = handshaken;
      assertTrue(completed >= 100, () -> "only " + completed + " TLS handshakes completed");
      assertTrue(
          awaitSize(server.transport, before),
          () -> "the table grew from " + before + " to " + server.transport.trackedConnections());
      assertEquals(before, server.transport.trackedConnections());
      // And the transport still serves its real peer.
      QuicConnection toServer = (QuicConnection) friend.transport.connections().iterator().next();
      assertEquals(
          "ok",
          toServer
              .call(TestPeer.HEADER, TestPeer.payload("ok"))
              .get(10, TimeUnit.SECONDS)
              .getPayload()
              .toStringUtf8());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static Channel client(EventLoopGroup group, String alpn) throws Exception {
    return RawStreams.clientSocket(
        group, alpn, limits -> limits.maxIdleTimeout(5, TimeUnit.SECONDS));
  }

  private static boolean awaitSize(QuicTransport transport, int size) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (transport.trackedConnections() != size && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    return transport.trackedConnections() == size;
  }
}
