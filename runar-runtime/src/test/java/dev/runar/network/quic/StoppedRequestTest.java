package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.Status;
import dev.runar.network.PeerConnection;
import dev.runar.wire.Frame;
import dev.runar.wire.Hello;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that stops reading a request (STOP_SENDING) while part of it still waits for flow control
 * fails that call at once with UNAVAILABLE, where the call used to wait out its deadline (or, with
 * none, the connection). A request already handed to QUIC whole is another matter: Netty reports a
 * STOP_SENDING only to a write that is waiting, so such a call waits for its reply, or its
 * deadline, as for a peer that does not answer.
 */
class StoppedRequestTest {
  private static final int STOPPED = 0x105;

  @Test
  @Timeout(60)
  void aRequestThePeerStopsReadingFailsItsCallAtOnce() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (TestPeers peers = new TestPeers()) {
      TestPeer caller = peers.start("caller");
      QuicChannel rude = connect(group, caller.address());
      helloFrom(rude, "rude");
      PeerConnection toRude = caller.connected.poll(10, TimeUnit.SECONDS);
      // 256 KiB: a stream of its own, and far over the 1 KiB the rude peer lets each stream send.
      CompletableFuture<?> call =
          ((QuicConnection) toRude).call(TestPeer.HEADER, TestPeer.payload("x".repeat(256 * 1024)));
      // Well within the 2.5 s after which the silent peer's connection is dropped, which was the
      // only thing to end the call before.
      ExecutionException failure =
          assertThrows(ExecutionException.class, () -> call.get(2, TimeUnit.SECONDS));
      Status status = Status.fromThrowable(failure.getCause());
      assertEquals(Status.Code.UNAVAILABLE, status.code(), status::toString);
      assertTrue(
          String.valueOf(status.description()).startsWith("the request could not be sent"),
          status::toString);
      assertTrue(((QuicConnection) toRude).isOpen(), "the connection went, not the call");
      rude.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /** A client that lets each stream the caller opens send 1 KiB, and stops reading it at once. */
  private static QuicChannel connect(EventLoopGroup group, InetSocketAddress server)
      throws Exception {
    Channel socket =
        RawStreams.clientSocket(
            group,
            QuicTransportConfig.ALPN,
            limits ->
                limits
                    .initialMaxStreamDataBidirectionalRemote(1024)
                    .initialMaxStreamsBidirectional(100));
    return QuicChannel.newBootstrap(socket)
        .handler(new ChannelInboundHandlerAdapter())
        .streamHandler(
            new RawStreams.DropReads() {
              @Override
              public void channelActive(ChannelHandlerContext ctx) {
                ((QuicStreamChannel) ctx.channel()).shutdownInput(STOPPED);
              }
            })
        .remoteAddress(server)
        .connect()
        .get(10, TimeUnit.SECONDS);
  }

  /** Opens the control stream with a Hello, as a dialing node does; ignores the answer. */
  private static void helloFrom(QuicChannel connection, String nodeId) throws Exception {
    QuicStreamChannel control = RawStreams.open(connection);
    Frame hello =
        Frame.newBuilder()
            .setHello(Hello.newBuilder().setNode(TestPeer.info(nodeId, "test", 1)))
            .build();
    control.writeAndFlush(Unpooled.wrappedBuffer(RawStreams.framed(hello.toByteArray()))).sync();
  }
}
