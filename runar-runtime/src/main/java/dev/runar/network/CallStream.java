package dev.runar.network;

import com.google.protobuf.ByteString;
import java.util.concurrent.Flow;

/**
 * The messages of one streaming call between two nodes, with backpressure both ways: the transport
 * reads from the network only as {@link #inbound()}'s subscriber demands, and asks {@link
 * #outbound()}'s publisher for the next message only when the network can take it, so a slow
 * consumer on either side slows the producer on the other, through QUIC's flow control.
 *
 * <p>On the caller's side, inbound carries the responses and ends with the call's status (a {@link
 * dev.runar.StatusException} for a failure); completing outbound half-closes the requests. On the
 * callee's side, inbound carries the requests and completes at the caller's half-close; completing
 * outbound ends the call with OK, failing it ends the call with that status. Signals to inbound's
 * subscriber never run on an I/O thread.
 *
 * <p><b>Experimental:</b> part of the transport SPI, which may change between minor versions.
 */
public interface CallStream {
  /** Messages from the peer. One subscriber. */
  Flow.Publisher<ByteString> inbound();

  /** Messages to the peer: subscribe it to their publisher, once. */
  Flow.Subscriber<ByteString> outbound();

  /** Ends the call now, both ways; the peer is told. Idempotent. */
  void cancel();

  /**
   * The call's response headers and trailers. The callee's node sets them (headers before its first
   * message reaches {@link #outbound()}, trailers before its end); the caller's transport sets them
   * before it delivers the message or the end that carried them.
   */
  ReplyMetadata replyMetadata();
}
