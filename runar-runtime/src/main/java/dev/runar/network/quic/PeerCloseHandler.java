package dev.runar.network.quic;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;

/**
 * Hears the peer's QUIC CONNECTION_CLOSE on a connection's channel and tells the connection its
 * error code, so that "the peer left" ({@link QuicConnection#LEFT}) reads differently from a
 * failure. Runs on the connection's event loop.
 */
final class PeerCloseHandler extends ChannelInboundHandlerAdapter {
  private final QuicConnection connection;

  PeerCloseHandler(QuicConnection connection) {
    this.connection = connection;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof QuicConnectionCloseEvent close) {
      connection.onPeerClosed(close.isApplicationClose(), close.error());
    }
    super.userEventTriggered(ctx, event);
  }
}
