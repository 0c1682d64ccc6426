package dev.runar;

import com.google.common.collect.ImmutableSet;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.runar.network.Payload;
import dev.runar.network.Reply;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Payload compression of remote unary calls, negotiated: a caller compresses a request only with an
 * encoding its provider advertises ({@code NodeInfo.accept_encodings}), and a provider compresses a
 * reply only with the encoding its caller asked for ({@code Request.response_encoding}) when it
 * accepts that encoding itself. Local calls never compress. Only {@code gzip} exists. Stateless and
 * thread-safe.
 */
final class Compression {
  static final String GZIP = "gzip";

  /** The encodings this runtime can read and write. */
  static final ImmutableSet<String> SUPPORTED = ImmutableSet.of(GZIP);

  /** The metadata key that tells a handler its request arrived compressed, and how. */
  static final String ENCODING_KEY = "runar-encoding";

  private final ImmutableSet<String> accepted;
  private final int maxDecodedBytes;

  /**
   * @param accepted the encodings this node takes on calls it serves, and answers in
   * @param maxDecodedBytes the most a compressed payload may expand to
   */
  Compression(ImmutableSet<String> accepted, int maxDecodedBytes) {
    this.accepted = accepted;
    this.maxDecodedBytes = maxDecodedBytes;
  }

  /** What {@code config} accepts, bounded by its transport's message limit. */
  static Compression of(NodeConfig config) {
    int max = config.transport().map(t -> t.limit().maxBytes()).orElse(Integer.MAX_VALUE - 8);
    return new Compression(config.acceptedEncodings(), max);
  }

  /** A request on its way to a peer: its header, and its payload, compressed or not. */
  record Outgoing(Request header, Payload payload) {}

  /**
   * {@code header} and {@code payload} for {@code peer}: the payload compressed when the call asks
   * and the peer accepts.
   */
  static Outgoing forPeer(Request header, Payload payload, NodeInfo peer) {
    String encoding = header.getResponseEncoding();
    if (encoding.isEmpty() || !peer.getAcceptEncodingsList().contains(encoding)) {
      return new Outgoing(header, payload);
    }
    return new Outgoing(
        header.toBuilder().setPayloadEncoding(encoding).build(),
        Payload.of(gzip(payload.toByteString())));
  }

  /**
   * A request's payload as plain protobuf.
   *
   * @throws StatusException UNIMPLEMENTED for an encoding this node does not accept, INTERNAL for a
   *     corrupt payload, RESOURCE_EXHAUSTED when it expands too far
   */
  ByteString requestPayload(Request request) {
    String encoding = request.getPayloadEncoding();
    if (encoding.isEmpty()) {
      return request.getPayload();
    }
    if (!accepted.contains(encoding)) {
      throw Status.UNIMPLEMENTED
          .withDescription("this node does not accept the " + encoding + " encoding")
          .asException();
    }
    return gunzip(request.getPayload(), maxDecodedBytes);
  }

  /**
   * {@code header} with {@code message} as its payload, compressed when {@code request} asks for an
   * encoding accepted here.
   */
  Reply reply(Request request, Response header, MessageLite message) {
    String encoding = request.getResponseEncoding();
    return accepted.contains(encoding)
        ? Reply.of(
            header.toBuilder().setPayloadEncoding(encoding).build(),
            Payload.of(gzip(message.toByteString())))
        : Reply.of(header, Payload.of(message));
  }

  /**
   * A reply's payload as plain protobuf.
   *
   * @throws StatusException INTERNAL for an unknown encoding or a corrupt payload
   */
  ByteString replyPayload(Response response) {
    String encoding = response.getPayloadEncoding();
    if (encoding.isEmpty()) {
      return response.getPayload();
    }
    if (!SUPPORTED.contains(encoding)) {
      throw Status.INTERNAL
          .withDescription("reply in an unknown encoding: " + encoding)
          .asException();
    }
    return gunzip(response.getPayload(), maxDecodedBytes);
  }

  private static ByteString gzip(ByteString plain) {
    ByteString.Output out = ByteString.newOutput(Math.max(64, plain.size() / 4));
    try (OutputStream gzip = new GZIPOutputStream(out)) {
      plain.writeTo(gzip);
    } catch (IOException e) {
      throw new AssertionError("writing to memory failed", e);
    }
    return out.toByteString();
  }

  private static ByteString gunzip(ByteString compressed, int maxBytes) {
    try (InputStream in = new GZIPInputStream(compressed.newInput())) {
      ByteString.Output out = ByteString.newOutput(Math.max(64, compressed.size() * 4));
      byte[] buffer = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > maxBytes) {
          throw Status.RESOURCE_EXHAUSTED
              .withDescription("a compressed payload expands beyond " + maxBytes + " bytes")
              .asException();
        }
        out.write(buffer, 0, n);
      }
      return out.toByteString();
    } catch (IOException e) {
      throw Status.INTERNAL
          .withDescription("corrupt gzip payload: " + e.getMessage())
          .asException();
    }
  }
}
