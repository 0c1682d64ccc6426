package dev.runar.network.quic;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.charset.StandardCharsets;

/**
 * The last handler of a connection's channel: hears the peer's QUIC CONNECTION_CLOSE and tells the
 * connection its error code, so that "the peer left" ({@link QuicConnection#LEFT}) reads
 * differently from a failure; and takes the connection's failures (a TLS handshake that fails, a
 * wrong ALPN), which are logged without stack traces and rate-limited per source instead of
 * reaching Netty's pipeline tail as warnings. Runs on the connection's event loop.
 */
final class PeerCloseHandler extends ChannelInboundHandlerAdapter {
  private final QuicConnection connection;
  private final RateLimitedLog failures;

  PeerCloseHandler(QuicConnection connection, RateLimitedLog failures) {
    this.connection = connection;
    this.failures = failures;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof QuicConnectionCloseEvent close) {
      connection.onPeerClosed(
          close.isApplicationClose(),
          close.error(),
          new String(close.reason(), StandardCharsets.US_ASCII));
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failures.failed(ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
