package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.WireStatus;
import dev.runar.wire.CapabilityUpdate;
import dev.runar.wire.Frame;
import dev.runar.wire.Goodbye;
import dev.runar.wire.Hello;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Ping;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's control stream: the handshake (Hello both ways), capability updates, keep-alive
 * pings, events, cancels of unary calls on streams of their own, and the goodbye.
 *
 * <p>Threading: frames arrive and state changes on the connection's event loop; {@link #write} and
 * {@link #sendCapabilityUpdate} may be called from any thread (Netty queues writes onto the loop).
 */
final class ControlStream {
  private static final Logger log = LoggerFactory.getLogger(ControlStream.class);

  private final QuicConnection connection;
  private final QuicTransport transport;
  private final Serving serving;
  private final AtomicLong pings = new AtomicLong();
  private final AtomicLong droppedEvents = new AtomicLong();
  private volatile Optional<QuicStreamChannel> stream = Optional.empty();
  private volatile long advertisedVersion = -1;
  private final Liveness liveness;

  ControlStream(QuicConnection connection, QuicTransport transport, Serving serving) {
    this.connection = connection;
    this.transport = transport;
    this.serving = serving;
    this.liveness =
        new Liveness(transport.config().keepAliveInterval(), transport.config().livenessTimeout());
  }

  /**
   * Pings the peer every keep-alive interval and declares it dead when nothing at all arrived from
   * it for the liveness timeout. Event loop.
   */
  void startLiveness() {
    liveness.start(
        connection.channel().eventLoop(),
        new Liveness.Peer() {
          @Override
          public void ping() {
            QuicConnection.State state = connection.state();
            if (state == QuicConnection.State.OPEN || state == QuicConnection.State.CLOSING) {
              ControlStream.this.ping();
            }
          }

          @Override
          public void dead(java.time.Duration silence) {
            connection.declareDead(silence);
          }
        });
  }

  void stopLiveness() {
    liveness.stop();
  }

  /** Something arrived from the peer: it is alive. Any thread. */
  void heard() {
    liveness.heard();
  }

  /** How long a ping to the peer has gone unanswered (see {@link Liveness#unanswered()}). */
  java.time.Duration unanswered() {
    return liveness.unanswered();
  }

  /** Dialer: opens the control stream and says hello. */
  void startHandshake() {
    connection
        .channel()
        .createStream(QuicStreamType.BIDIRECTIONAL, transport.pipelines().control(connection))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                connection.refuse(
                    Status.UNAVAILABLE.withDescription("could not open the control stream"), false);
                return;
              }
              QuicStreamChannel opened = (QuicStreamChannel) f.getNow();
              stream = Optional.of(opened);
              opened.writeAndFlush(hello());
              connection.helloSent();
            });
  }

  /** Acceptor: the peer opened {@code opened} with its Hello. */
  void onHelloStream(QuicStreamChannel opened, Hello hello) {
    if (connection.isDialer()
        || stream.isPresent()
        || connection.state() != QuicConnection.State.HANDSHAKING) {
      connection.protocolError("unexpected Hello on a new stream");
      return;
    }
    stream = Optional.of(opened);
    Optional<Status> refusal = PeerCheck.refusal(transport, connection.channel(), hello.getNode());
    if (refusal.isPresent()) {
      connection.refuse(refusal.get(), true);
      return;
    }
    opened.writeAndFlush(hello());
    connection.establish(hello.getNode());
  }

  private Frame hello() {
    NodeInfo info = transport.localInfo();
    advertisedVersion = info.getCapabilityVersion();
    return Frame.newBuilder().setHello(Hello.newBuilder().setNode(info)).build();
  }

  /** The capability version this side last told the peer about. */
  long advertisedVersion() {
    return advertisedVersion;
  }

  void onFrame(Frame frame) {
    connection.heard();
    QuicConnection.State state = connection.state();
    switch (frame.getKindCase()) {
      case HELLO -> {
        if (!connection.isDialer() || state != QuicConnection.State.HANDSHAKING) {
          connection.protocolError("unexpected Hello");
          return;
        }
        NodeInfo node = frame.getHello().getNode();
        Optional<Status> refusal = PeerCheck.refusal(transport, connection.channel(), node);
        if (refusal.isPresent()) {
          connection.refuse(refusal.get(), true);
        } else {
          connection.establish(node);
        }
      }
      case GOODBYE -> {
        Goodbye goodbye = frame.getGoodbye();
        if (state == QuicConnection.State.HANDSHAKING) {
          connection.refuse(
              Status.fromCodeValue(goodbye.getStatusCode()).withDescription(goodbye.getReason()),
              false);
          return;
        }
        connection.onGoodbye(
            Status.fromCodeValue(goodbye.getStatusCode()).code(), goodbye.getReason());
      }
      case CAPABILITY_UPDATE -> {
        NodeInfo info = frame.getCapabilityUpdate().getNode();
        if (state == QuicConnection.State.HANDSHAKING
            || !info.getNodeId().equals(connection.peerId())) {
          connection.protocolError("capability update for another node");
          return;
        }
        Optional<String> refused = transport.handler().refusal(info);
        if (refused.isPresent()) {
          log.info("closing the connection to {}: {}", connection.peerId(), refused.get());
          connection.close(Status.INVALID_ARGUMENT.withDescription(refused.get()));
          return;
        }
        connection.updatePeerInfo(info);
        transport.onPeerUpdated(connection);
      }
      case PING -> {
        if (!frame.getPing().getReply()) {
          write(
              Frame.newBuilder()
                  .setPing(Ping.newBuilder().setNonce(frame.getPing().getNonce()).setReply(true))
                  .build());
        }
      }
      case EVENT -> {
        if (state == QuicConnection.State.HANDSHAKING) {
          connection.protocolError("event before the handshake");
          return;
        }
        Optional<Status> tooLarge =
            WireStatus.tooLarge(transport.limit(), "event", frame.getEvent().getPayload().size());
        if (tooLarge.isPresent()) {
          dropEvent(tooLarge.get().description());
          return;
        }
        transport.handler().onEvent(connection, frame.getEvent());
      }
      case CANCEL ->
          serving.cancelStreamCall(frame.getCancel().getStreamId(), frame.getCancel().getReason());
      default ->
          connection.protocolError("unexpected " + frame.getKindCase() + " on the control stream");
    }
  }

  /**
   * An event this node does not accept (larger than its limit) is dropped and counted: the
   * connection, and the calls on it, go on.
   */
  void dropEvent(String why) {
    long dropped = droppedEvents.incrementAndGet();
    log.debug("dropped event #{} from {}: {}", dropped, connection.peerId(), why);
  }

  long droppedEvents() {
    return droppedEvents.get();
  }

  /** The control stream broke: a malformed frame. */
  void onFailed(String why) {
    if (connection.state() != QuicConnection.State.CLOSED) {
      connection.protocolError(why);
    }
  }

  private void ping() {
    write(Frame.newBuilder().setPing(Ping.newBuilder().setNonce(pings.incrementAndGet())).build());
  }

  void sendCapabilityUpdate(NodeInfo info) {
    if (connection.state() == QuicConnection.State.OPEN) {
      advertisedVersion = info.getCapabilityVersion();
      write(
          Frame.newBuilder()
              .setCapabilityUpdate(CapabilityUpdate.newBuilder().setNode(info))
              .build());
    }
  }

  /** Writes {@code frame} on the control stream if it is open. Any thread. */
  void write(Frame frame) {
    stream.ifPresent(
        s -> {
          if (s.isActive()) {
            s.writeAndFlush(frame, s.voidPromise());
          }
        });
  }

  /**
   * Sends a goodbye saying {@code status}, then runs {@code then}; returns false (and does not run
   * it) when there is no control stream to send it on.
   */
  boolean goodbye(Status status, Runnable then) {
    Optional<QuicStreamChannel> s = stream.filter(QuicStreamChannel::isActive);
    s.ifPresent(
        open ->
            open.writeAndFlush(
                    Frame.newBuilder()
                        .setGoodbye(
                            Goodbye.newBuilder()
                                .setStatusCode(status.code().value())
                                .setReason(
                                    status.description() == null ? "" : status.description()))
                        .build())
                .addListener(f -> then.run()));
    return s.isPresent();
  }
}
