package dev.runar.network.quic;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamPriority;
import java.time.Duration;
import java.util.function.Function;

/**
 * The handlers of each kind of QUIC stream a transport's connections carry: Runar's framing ({@link
 * FrameCodec}) and then the stream's own handler. Stateless; any thread.
 */
final class StreamPipelines {
  /**
   * What this side sends first when several streams have data (QUIC's scheduler sends the lowest
   * urgency first; streams of equal urgency share the path in turn). Liveness pings and small calls
   * go ahead of large messages and streaming calls (quiche's default urgency, 127), so that a
   * megabyte in flight does not hold up a ping or a 100-byte call behind it.
   */
  static final QuicStreamPriority CONTROL_PRIORITY = new QuicStreamPriority(0, true);

  static final QuicStreamPriority LANE_PRIORITY = new QuicStreamPriority(1, true);

  private final int maxFrameSize;
  private final Duration frameTimeout;

  StreamPipelines(int maxFrameSize, Duration frameTimeout) {
    this.maxFrameSize = maxFrameSize;
    this.frameTimeout = frameTimeout;
  }

  /**
   * Streams the peer opens: framing, then the handler that reads the first frame. A unary call's
   * stream only ever writes its reply with {@link FrameCodec#writeLast}, and a lane writes encoded
   * bytes through the {@link WriteQueue}, so the encoder is added only once a stream turns out to
   * be a control or streaming call stream.
   */
  ChannelInitializer<QuicStreamChannel> inbound() {
    return framed(
        true,
        false,
        stream -> {
          QuicConnection connection = stream.parent().attr(QuicConnection.KEY).get();
          connection.serving().trackInbound(stream);
          return new InboundStreamHandler(connection, frameTimeout);
        });
  }

  /** The control stream this side opens (dialer). */
  ChannelInitializer<QuicStreamChannel> control(QuicConnection connection) {
    return framed(
        false,
        true,
        stream -> {
          stream.updatePriority(CONTROL_PRIORITY);
          return new ControlStreamHandler(connection);
        });
  }

  /** A lane this side opens for its unary calls; {@code lanes} hears its replies. */
  ChannelInitializer<QuicStreamChannel> lane(QuicConnection connection, CallerLanes lanes) {
    return framed(
        true,
        false,
        stream -> {
          stream.updatePriority(LANE_PRIORITY);
          return new LaneHandler(connection, lanes, frameTimeout);
        });
  }

  /** A streaming call's stream this side opens. */
  ChannelInitializer<QuicStreamChannel> callStream(CallerStream call) {
    return framed(false, true, stream -> call);
  }

  /**
   * A unary call's stream this side opens: its one request goes out with {@link
   * FrameCodec#writeLast}.
   */
  ChannelInitializer<QuicStreamChannel> outboundCall(OutboundCall call) {
    return framed(true, false, stream -> call);
  }

  /**
   * A stream with Runar's framing and then {@code handler}; {@code writesFrames}: with an encoder
   * for writing {@code Frame} objects (every handler on the stream costs each call).
   */
  private ChannelInitializer<QuicStreamChannel> framed(
      boolean allowHalfClosure,
      boolean writesFrames,
      Function<QuicStreamChannel, ChannelHandler> handler) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(QuicStreamChannel stream) {
        stream.config().setAllowHalfClosure(allowHalfClosure);
        stream.config().setAllocator(DatagramIo.BUFFERS);
        QuicConnection connection = stream.parent().attr(QuicConnection.KEY).get();
        stream
            .pipeline()
            .addLast(new FrameCodec.Decoder(maxFrameSize, connection.serving().budget()));
        if (writesFrames) {
          FrameCodec.addEncoder(stream);
        }
        stream.pipeline().addLast(handler.apply(stream));
      }
    };
  }
}
