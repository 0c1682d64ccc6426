package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.wire.Frame;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
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
 * Reads one lane (a long-lived stream of many unary calls, see {@link CallerLanes}) for whichever
 * side holds it, and bounds it: a lane is idle by design, but a frame that has begun to arrive must
 * be complete within the frame timeout, or the lane is reset (its calls fail, the connection goes
 * on). A frame the decoder refused as oversized, a malformed one, or the peer ending its side of
 * the lane also ends the lane: a well-behaved peer never sends a lane frame over the receiver's
 * advertised limit (larger messages take streams of their own), so these are protocol errors.
 *
 * <p>Threading: the connection's event loop, like every handler of its streams.
 */
final class LaneHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(LaneHandler.class);

  /**
   * What a lane's holder does with its frames and its end. A frame its holder does not take is a
   * protocol error that resets the lane. Event loop.
   */
  interface Listener {
    /** A call's request (the callee's lanes carry them). */
    default void onRequest(QuicStreamChannel lane, Request request) {
      unexpected(lane, "REQUEST");
    }

    /** A call's response (the caller's lanes carry them). */
    default void onResponse(QuicStreamChannel lane, Response response) {
      unexpected(lane, "RESPONSE");
    }

    /** Any other frame. */
    default void onFrame(QuicStreamChannel lane, Frame frame) {
      unexpected(lane, frame.getKindCase().name());
    }

    private static void unexpected(QuicStreamChannel lane, String kind) {
      lane.pipeline()
          .fireExceptionCaught(new IllegalStateException("unexpected " + kind + " on a lane"));
    }

    void onClosed(QuicStreamChannel lane, Status why);
  }

  private final QuicConnection connection;
  private final Listener listener;
  private final Duration frameTimeout;
  private long frames;
  private Status failure = Status.UNAVAILABLE.withDescription("lane closed");
  private ScheduledFuture<?> stall;

  LaneHandler(QuicConnection connection, Listener listener, Duration frameTimeout) {
    this.connection = connection;
    this.listener = listener;
    this.frameTimeout = frameTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    FrameCodec.Decoder decoder = ctx.pipeline().get(FrameCodec.Decoder.class);
    if (decoder != null) {
      decoder.readCalls();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // What this read's frames make the loop write (direct handlers' replies) leaves at its end.
    connection.writes().holdForRead();
    connection.heard();
    frames++;
    QuicStreamChannel lane = (QuicStreamChannel) ctx.channel();
    if (msg instanceof Response response) {
      listener.onResponse(lane, response);
    } else if (msg instanceof Request request) {
      listener.onRequest(lane, request);
    } else if (msg instanceof Frame frame) {
      switch (frame.getKindCase()) {
        case REQUEST -> listener.onRequest(lane, frame.getRequest());
        case RESPONSE -> listener.onResponse(lane, frame.getResponse());
        default -> listener.onFrame(lane, frame);
      }
    } else if (msg instanceof FrameCodec.Oversized oversized) {
      fail(ctx, Status.INTERNAL.withDescription("protocol error: " + oversized.describe("frame")));
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    connection.writes().readEnded();
    watchForStall(ctx);
    ctx.fireChannelReadComplete();
  }

  /** Resets the lane if the frame now in progress makes no progress within the frame timeout. */
  private void watchForStall(ChannelHandlerContext ctx) {
    FrameCodec.Decoder decoder = ctx.pipeline().get(FrameCodec.Decoder.class);
    if (stall != null || decoder == null || !decoder.midFrame()) {
      return;
    }
    long seen = frames;
    stall =
        ctx.executor()
            .schedule(
                () -> {
                  stall = null;
                  if (frames == seen && decoder.midFrame()) {
                    log.debug("resetting a lane from {}: a frame stalled", connection.peerId());
                    fail(
                        ctx,
                        Status.UNAVAILABLE.withDescription(
                            "lane frame incomplete after " + frameTimeout.toMillis() + " ms"));
                  } else {
                    watchForStall(ctx);
                  }
                },
                frameTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof ChannelInputShutdownEvent) {
      fail(ctx, Status.UNAVAILABLE.withDescription("the peer ended the lane"));
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.writes().readEnded();
    if (stall != null) {
      stall.cancel(false);
    }
    listener.onClosed((QuicStreamChannel) ctx.channel(), failure);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("lane with {} failed: {}", connection.peerId(), cause.toString());
    fail(ctx, Status.INTERNAL.withDescription("lane failed: " + cause.getMessage()));
  }

  private void fail(ChannelHandlerContext ctx, Status status) {
    if (!ctx.channel().isActive()) {
      return;
    }
    failure = status;
    QuicStreamChannel lane = (QuicStreamChannel) ctx.channel();
    lane.shutdownOutput(InboundStreamHandler.ABANDONED_STREAM).addListener(f -> lane.close());
  }
}
