package dev.runar.network.quic;

import dev.runar.wire.Frame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Hands the frames of a connection's control stream to its {@link ControlStream}; its failure ends
 * the connection. Runs on the connection's event loop.
 */
final class ControlStreamHandler extends ChannelInboundHandlerAdapter {
  private final QuicConnection connection;

  ControlStreamHandler(QuicConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Frame frame) {
      connection.control().onFrame(frame);
    } else if (msg instanceof FrameCodec.Oversized oversized) {
      // Only events are large on this stream: drop it (the decoder skips its bytes), keep going.
      connection.heard();
      connection.control().dropEvent(oversized.describe("control frame"));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.onControlStreamClosed();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.control().onFailed("malformed frame on the control stream: " + cause.getMessage());
  }
}
