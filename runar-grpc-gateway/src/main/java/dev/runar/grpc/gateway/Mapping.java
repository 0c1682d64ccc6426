package dev.runar.grpc.gateway;

import com.google.common.io.BaseEncoding;
import dev.runar.CallOptions;
import dev.runar.StatusException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import java.net.SocketAddress;
import java.security.Principal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The gRPC ↔ Runar mappings of one call, as {@code docs/grpc-gateway.md} tables them: metadata
 * (ASCII as is, {@code -bin} as base64), {@code grpc-timeout} to the Runar deadline, the caller's
 * identity, and status codes back. Stateless.
 */
final class Mapping {
  /** The caller's address, as the gateway saw it. Set by the gateway only. */
  static final String PEER_KEY = "runar-gateway-peer";

  /** The subject of the caller's TLS client certificate, when it presented one. Gateway only. */
  static final String CLIENT_KEY = "runar-gateway-client";

  /** Headers that belong to the gRPC hop itself and do not travel on. */
  private static final Set<String> HOP_HEADERS = Set.of("content-type", "te", "user-agent", "host");

  /**
   * How much sooner than the gRPC client's deadline the Runar call's falls, at most (never more
   * than half the time left). grpc-java ends a server call whose deadline passes by resetting its
   * stream, which a client whose own timer has not fired yet (a few milliseconds late, say) reports
   * as CANCELLED; the Runar call ending first instead sends DEADLINE_EXCEEDED as a status. Envoy's
   * {@code grpc_timeout_header_offset} does the same for the same reason.
   */
  static final Duration DEADLINE_HEADROOM = Duration.ofMillis(20);

  private Mapping() {}

  /** The Runar timeout of a gRPC call with {@code nanos} left: the headroom less, at least 1 ns. */
  static Duration timeout(long nanos) {
    long headroom = Math.min(DEADLINE_HEADROOM.toNanos(), nanos / 2);
    return Duration.ofNanos(Math.max(1, nanos - headroom));
  }

  /**
   * The Runar call options of a gRPC call: its deadline ({@code grpc-timeout}, else the gateway's
   * default timeout, else the node's), its metadata and the caller's identity.
   */
  static CallOptions options(
      ServerCall<?, ?> call, Metadata headers, Optional<Duration> defaultTimeout) {
    CallOptions options = CallOptions.DEFAULT;
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null) {
      options = options.withTimeout(timeout(deadline.timeRemaining(TimeUnit.NANOSECONDS)));
    } else if (defaultTimeout.isPresent()) {
      options = options.withTimeout(defaultTimeout.get());
    }
    for (String key : headers.keys()) {
      if (!travels(key)) {
        continue;
      }
      String value =
          key.endsWith(Metadata.BINARY_HEADER_SUFFIX)
              ? joined(headers.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER)), true)
              : joined(
                  headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)), false);
      options = options.withMetadata(key, value);
    }
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote != null) {
      options = options.withMetadata(PEER_KEY, remote.toString());
    }
    Optional<String> client =
        clientSubject(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (client.isPresent()) {
      options = options.withMetadata(CLIENT_KEY, client.get());
    }
    return options;
  }

  /** Whether a gRPC header is passed on as Runar metadata. */
  static boolean travels(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return !k.startsWith(":")
        && !k.startsWith("grpc-")
        && !HOP_HEADERS.contains(k)
        && !k.equals(PEER_KEY)
        && !k.equals(CLIENT_KEY);
  }

  /** Values of a repeated header joined with "," (as HTTP/2 joins them); binary ones in base64. */
  private static String joined(Iterable<?> values, boolean binary) {
    StringBuilder out = new StringBuilder();
    if (values == null) {
      return "";
    }
    for (Object value : values) {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(binary ? BaseEncoding.base64().encode((byte[]) value) : (String) value);
    }
    return out.toString();
  }

  private static Optional<String> clientSubject(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Principal principal = session.getPeerPrincipal();
      return Optional.of(principal.getName());
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty(); // TLS without a client certificate
    }
  }

  /** The gRPC status of a Runar failure: same code numbers, same description. */
  static io.grpc.Status toGrpc(Throwable failure) {
    dev.runar.Status status = dev.runar.Status.fromThrowable(failure);
    return toGrpc(status);
  }

  /**
   * gRPC's trailer for a {@code google.rpc.Status} with details, as {@code StatusProto} reads it.
   */
  private static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  /**
   * The gRPC trailers of a Runar failure: the failure's own trailers (those gRPC may carry), and
   * its details as {@code grpc-status-details-bin}, so that grpc-java's {@code
   * StatusProto.fromThrowable} (and other languages' equivalents) read them.
   */
  static Metadata trailers(Throwable failure) {
    Metadata out = new Metadata();
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof StatusException se) {
      se.trailers().strings().forEach((k, v) -> putIfValid(out, k, v));
      se.trailers().binaries().forEach((k, v) -> putIfValid(out, k, v.toByteArray()));
    }
    dev.runar.Status status = dev.runar.Status.fromThrowable(failure);
    if (!status.details().isEmpty()) {
      com.google.rpc.Status.Builder proto =
          com.google.rpc.Status.newBuilder()
              .setCode(status.code().value())
              .addAllDetails(status.details());
      if (status.description() != null) {
        proto.setMessage(status.description());
      }
      out.put(STATUS_DETAILS, proto.build().toByteArray());
    }
    return out;
  }

  /** Puts a trailer unless gRPC reserves or rejects its key (upper case, odd characters). */
  private static void putIfValid(Metadata out, String key, Object value) {
    if (!travels(key)) {
      return;
    }
    try {
      if (value instanceof byte[] bytes) {
        out.put(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER), bytes);
      } else if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        out.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), (String) value);
      }
    } catch (IllegalArgumentException invalid) {
      // Not a valid gRPC header name or value: it stays behind.
    }
  }

  static io.grpc.Status toGrpc(dev.runar.Status status) {
    io.grpc.Status grpc = io.grpc.Status.fromCodeValue(status.code().value());
    return status.description() == null ? grpc : grpc.withDescription(status.description());
  }
}
