package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.WireStatus;
import dev.runar.wire.Frame;
import dev.runar.wire.MethodType;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a stream the peer opened: its first frame says what the stream is. A
 * Hello makes it the connection's control stream; a Request makes it a call stream. Anything
 * else, a malformed frame or an oversized one fails this stream alone with a status reply.
 */
final class InboundStreamHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(InboundStreamHandler.class);

  private final QuicConnection connection;
  private boolean first = true;

  InboundStreamHandler(QuicConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    connection.heard();
    QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
    if (!first) {
      return; // a unary call's request is its caller's last frame: nothing may follow it
    }
    first = false;
    if (msg instanceof FrameCodec.Oversized oversized) {
      failStream(
          stream,
          Status.RESOURCE_EXHAUSTED.withDescription(
              "request of " + oversized.length() + " bytes exceeds this node's frame limit"));
      return;
    }
    Frame frame = (Frame) msg;
    switch (frame.getKindCase()) {
      case HELLO -> {
        FrameCodec.addEncoder(stream);
        ctx.pipeline().replace(this, "control", new ControlStreamHandler(connection));
        connection.onHelloStream(stream, frame.getHello());
      }
      case REQUEST -> {
        if (frame.getRequest().getType() == MethodType.UNARY) {
          connection.serve(stream, frame.getRequest());
        } else {
          FrameCodec.addEncoder(stream);
          connection.serveStream(stream, frame.getRequest()); // replaces this handler
        }
      }
      default ->
          failStream(
              stream,
              Status.INVALID_ARGUMENT.withDescription(
                  "a stream must open with a Hello or a Request, not " + frame.getKindCase()));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("bad frame on stream from {}: {}", connection.peerId(), cause.getMessage());
    if (first) {
      first = false;
      failStream(
          (QuicStreamChannel) ctx.channel(),
          Status.INVALID_ARGUMENT.withDescription("malformed frame: " + cause.getMessage()));
    } else {
      ctx.close();
    }
  }

  private static void failStream(QuicStreamChannel stream, Status status) {
    InboundCalls.reply(stream, WireStatus.toResponse(status));
  }
}
