package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.CallStream;
import dev.runar.network.Payload;
import dev.runar.network.ReplyMetadata;
import dev.runar.network.ResponseListener;
import dev.runar.network.SentCall;
import dev.runar.network.WireStatus;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The caller's side of a connection: sends each unary call on a lane ({@link CallerLanes}) or, when
 * its request is larger than {@link CallerLanes#MAX_LANE_PAYLOAD} or than the peer's advertised
 * limit, on a stream of its own ({@link OutboundCall}); opens streaming calls' streams ({@link
 * CallerStream}).
 *
 * <p>Threading: {@link #call} and {@link #openStream} from any thread; the count of calls in flight
 * on streams of their own is confined to the event loop, like {@link CallerLanes}' state.
 */
final class Outbound {
  private final QuicConnection connection;
  private final QuicTransport transport;
  private final EventLoop loop;
  private final CallerLanes lanes;
  private int onStreams; // event loop
  private int streaming; // event loop

  Outbound(QuicConnection connection, QuicTransport transport, WriteQueue writes) {
    this.connection = connection;
    this.transport = transport;
    this.loop = connection.channel().eventLoop();
    this.lanes = new CallerLanes(connection, writes, transport.callbacks());
  }

  /** Sends {@code header} with {@code timeoutMicros} as its time left and {@code payload}. */
  CompletableFuture<Response> call(Request header, long timeoutMicros, Payload payload) {
    ResponseFuture result = new ResponseFuture();
    result.sent(call(header, timeoutMicros, payload, result));
    return result.future();
  }

  /** As {@link #call(Request, long, Payload)}, {@code listener} told the outcome. */
  SentCall call(Request header, long timeoutMicros, Payload payload, ResponseListener listener) {
    if (!header.getPayload().isEmpty()) {
      throw new IllegalArgumentException("the header carries a payload: give it as the payload");
    }
    if (!connection.isOpen()) {
      return failed(WireStatus.notStarted(connection.unavailable()), listener);
    }
    int size = payload.size();
    Optional<Status> tooLarge = WireStatus.tooLarge(transport.limit(), "request", size);
    if (tooLarge.isPresent()) {
      return failed(tooLarge.get(), listener);
    }
    int peerLimit = connection.peerInfo().getMaxMessageSize();
    if (size <= CallerLanes.MAX_LANE_PAYLOAD && (peerLimit == 0 || size <= peerLimit)) {
      return lanes.call(header, timeoutMicros, payload, listener);
    }
    // Large, or over the peer's limit (whose refusal then comes back on this call's own stream).
    OutboundCall call =
        new OutboundCall(
            connection,
            header,
            timeoutMicros,
            payload,
            transport.callbacks(),
            transport.config().firstFrameTimeout());
    CompletableFuture<Response> result = call.result();
    loop.execute(() -> onStreams++);
    result.whenComplete(
        (r, e) ->
            loop.execute(
                () -> {
                  onStreams--;
                  connection.callEnded();
                }));
    openCallStream(transport.pipelines().outboundCall(call), call::fail);
    return SentCall.of(result, listener);
  }

  private static SentCall failed(Status status, ResponseListener listener) {
    listener.onFailure(status.asException());
    return () -> {};
  }

  CallStream openStream(Request header, ReplyMetadata reply) {
    CallerStream call =
        new CallerStream(
            header,
            transport.limit(),
            transport.callbacks(),
            reply,
            transport.config().firstFrameTimeout());
    if (!connection.isOpen()) {
      call.failToOpen(connection.unavailable());
      return call;
    }
    openCallStream(transport.pipelines().callStream(call), call::failToOpen)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
                streaming++;
                stream.closeFuture().addListener(closed -> streaming--);
                connection.serving().trackStreamingCall(stream);
              }
            });
    return call;
  }

  /** Opens a stream for one call; {@code onFailure} hears why when it cannot be opened. */
  private Future<QuicStreamChannel> openCallStream(
      ChannelHandler initializer, Consumer<Status> onFailure) {
    return connection
        .channel()
        .createStream(QuicStreamType.BIDIRECTIONAL, initializer)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                onFailure.accept(
                    WireStatus.notStarted(
                        connection
                            .unavailable()
                            .withDescription("could not open a stream to " + connection.peerId())));
              }
            });
  }

  /** Streaming calls this side opened whose streams are not closed yet. Event loop. */
  int streaming() {
    return streaming;
  }

  /** Unary calls sent and not answered yet. Event loop. */
  int inFlight() {
    return lanes.inFlight() + onStreams;
  }

  /** The connection closed: unary calls still waiting on lanes fail with {@code reason}. */
  void failAll(Status reason) {
    lanes.failAll(reason);
  }
}
