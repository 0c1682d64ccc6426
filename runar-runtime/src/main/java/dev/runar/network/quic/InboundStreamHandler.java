package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.WireStatus;
import dev.runar.wire.Frame;
import dev.runar.wire.MethodType;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a stream the peer opened: its first frame says what the stream is. A Hello
 * makes it the connection's control stream; a LaneOpen makes it a lane (many unary calls, served by
 * {@link Serving}); a Request makes it a call stream. Anything else, a malformed frame or an
 * oversized one fails this stream alone with a status reply.
 *
 * <p>Every stream ends: one that the peer finishes (FIN) or resets before its first frame is
 * complete is answered or closed at once, and one whose first frame has not arrived within the
 * first-frame timeout is reset, so no stream holds one of the connection's stream credits forever.
 * Runs on the stream's event loop.
 */
final class InboundStreamHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(InboundStreamHandler.class);

  /** Application error code of a stream this side resets because it stayed idle. */
  static final int IDLE_STREAM = 0x102;

  /** Application error code of a stream this side abandons after the peer reset or broke it. */
  static final int ABANDONED_STREAM = 0x103;

  private final QuicConnection connection;
  private final Duration firstFrameTimeout;
  private boolean first = true;
  private ScheduledFuture<?> idle;

  InboundStreamHandler(QuicConnection connection, Duration firstFrameTimeout) {
    this.connection = connection;
    this.firstFrameTimeout = firstFrameTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    idle =
        ctx.executor()
            .schedule(
                () -> {
                  if (first) {
                    first = false;
                    log.debug(
                        "resetting a stream from {} that sent no complete frame",
                        connection.peerId());
                    ((QuicStreamChannel) ctx.channel()).shutdown(IDLE_STREAM);
                    ctx.close();
                  }
                },
                firstFrameTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    idle.cancel(false);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    connection.heard();
    QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
    if (!first) {
      return; // a unary call's request is its caller's last frame: nothing may follow it
    }
    first = false;
    idle.cancel(false);
    if (msg instanceof FrameCodec.Oversized oversized) {
      failStream(stream, Status.RESOURCE_EXHAUSTED.withDescription(oversized.describe("request")));
      return;
    }
    Frame frame = (Frame) msg;
    switch (frame.getKindCase()) {
      case HELLO -> {
        stream.updatePriority(StreamPipelines.CONTROL_PRIORITY);
        FrameCodec.addEncoder(stream);
        ctx.pipeline().replace(this, "control", new ControlStreamHandler(connection));
        connection.control().onHelloStream(stream, frame.getHello());
      }
      case REQUEST -> {
        if (frame.getRequest().getType() == MethodType.UNARY) {
          connection.serving().serveOnStream(stream, frame.getRequest());
        } else {
          FrameCodec.addEncoder(stream);
          connection.serving().serveStream(stream, frame.getRequest()); // replaces this handler
        }
      }
      case LANE_OPEN -> {
        stream.updatePriority(StreamPipelines.LANE_PRIORITY);
        ctx.pipeline()
            .replace(
                this, "lane", new LaneHandler(connection, connection.serving(), firstFrameTimeout));
      }
      default ->
          failStream(
              stream,
              Status.INVALID_ARGUMENT.withDescription(
                  "a stream must open with a Hello or a Request, not " + frame.getKindCase()));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof ChannelInputShutdownEvent && first) {
      first = false; // the peer finished its side without one complete frame
      idle.cancel(false);
      failStream(
          (QuicStreamChannel) ctx.channel(),
          Status.INVALID_ARGUMENT.withDescription(
              "the stream ended before its first frame was complete"));
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("stream from {} failed: {}", connection.peerId(), cause.toString());
    if (first && !(cause instanceof io.netty.handler.codec.quic.QuicStreamResetException)) {
      first = false;
      idle.cancel(false);
      failStream(
          (QuicStreamChannel) ctx.channel(),
          Status.INVALID_ARGUMENT.withDescription("malformed frame: " + cause.getMessage()));
    } else {
      first = false;
      // Reset by the peer, or broken after its request: nothing more to answer. Reset this side
      // too, so that both halves end and QUIC retires the stream (and returns its credit).
      QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
      stream.shutdownOutput(ABANDONED_STREAM).addListener(f -> stream.close());
    }
  }

  private static void failStream(QuicStreamChannel stream, Status status) {
    InboundCalls.reply(stream, WireStatus.toResponse(status));
  }
}
