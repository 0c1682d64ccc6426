package dev.runar.grpc.gateway;

import com.google.common.base.MoreObjects;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link GrpcGateway} listens: address, transport security, and how it follows the node's
 * services. Built with {@link #builder()}; the transport security must be chosen explicitly ({@link
 * Builder#plaintext()} or {@link Builder#tls}), as with the node's QUIC transport.
 *
 * <p>Immutable and safe to share.
 */
public final class GrpcGatewayConfig {
  /** Whether clients must present a certificate the trusted roots vouch for. */
  public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** A certificate is asked for; a client without one is still served. */
    OPTIONAL,
    /** A client without a trusted certificate is refused during the handshake. */
    REQUIRE
  }

  /**
   * TLS material, as PEM files.
   *
   * @param certificateChain the gateway's certificate chain
   * @param privateKey its private key (PKCS#8)
   * @param trustedClientRoots roots that vouch for client certificates, when clients are asked
   * @param clientAuth whether clients must present a certificate
   */
  public record Tls(
      Path certificateChain,
      Path privateKey,
      Optional<Path> trustedClientRoots,
      ClientAuth clientAuth) {
    public Tls {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(trustedClientRoots, "trustedClientRoots");
      Objects.requireNonNull(clientAuth, "clientAuth");
      if (clientAuth != ClientAuth.NONE && trustedClientRoots.isEmpty()) {
        throw new IllegalArgumentException("client certificates need trusted client roots");
      }
    }
  }

  private final String host;
  private final int port;
  private final Optional<Tls> tls;
  private final Duration refreshInterval;
  private final Duration descriptorTimeout;
  private final Optional<Duration> defaultTimeout;
  private final int streamWindow;

  private GrpcGatewayConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.tls = b.tls;
    this.refreshInterval = b.refreshInterval;
    this.descriptorTimeout = b.descriptorTimeout;
    this.defaultTimeout = b.defaultTimeout;
    this.streamWindow = b.streamWindow;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The address to bind; {@code 127.0.0.1} unless set. */
  public String host() {
    return host;
  }

  /** The port to bind; 0 (the default) picks a free one, see {@link GrpcGateway#port()}. */
  public int port() {
    return port;
  }

  /** TLS settings; empty when the gateway speaks plaintext HTTP/2 (asked for with plaintext()). */
  public Optional<Tls> tls() {
    return tls;
  }

  /**
   * How often the gateway re-reads the node's own services (peers' changes are followed as they
   * happen); one second unless set.
   */
  public Duration refreshInterval() {
    return refreshInterval;
  }

  /** How long to wait for a peer's descriptors; five seconds unless set. */
  public Duration descriptorTimeout() {
    return descriptorTimeout;
  }

  /**
   * The Runar deadline of a gRPC call that arrives without one ({@code grpc-timeout}); when empty
   * (the default) the node's request timeout applies.
   */
  public Optional<Duration> defaultTimeout() {
    return defaultTimeout;
  }

  /**
   * Response messages a streaming call asks the Runar side for ahead of the gRPC client, at most;
   * 32 unless set. It is replenished only while the client keeps up (gRPC's {@code isReady}), so a
   * slow client slows the Runar stream.
   */
  public int streamWindow() {
    return streamWindow;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("host", host)
        .add("port", port)
        .add("tls", tls.map(t -> "clientAuth=" + t.clientAuth()).orElse("plaintext"))
        .add("refreshInterval", refreshInterval)
        .toString();
  }

  /** Builds a {@link GrpcGatewayConfig}. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Optional<Tls> tls = Optional.empty();
    private boolean securityChosen;
    private Duration refreshInterval = Duration.ofSeconds(1);
    private Duration descriptorTimeout = Duration.ofSeconds(5);
    private Optional<Duration> defaultTimeout = Optional.empty();
    private int streamWindow = 32;

    private Builder() {}

    /** The address to bind (default {@code 127.0.0.1}: this machine only). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to bind (default 0: any free port). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** Plaintext HTTP/2 (h2c): only for this machine or a network you trust. */
    public Builder plaintext() {
      this.tls = Optional.empty();
      this.securityChosen = true;
      return this;
    }

    /** TLS with the given PEM certificate chain and PKCS#8 private key; no client certificates. */
    public Builder tls(Path certificateChain, Path privateKey) {
      this.tls =
          Optional.of(new Tls(certificateChain, privateKey, Optional.empty(), ClientAuth.NONE));
      this.securityChosen = true;
      return this;
    }

    /** TLS that also asks clients for certificates issued by {@code trustedClientRoots}. */
    public Builder tls(
        Path certificateChain, Path privateKey, Path trustedClientRoots, ClientAuth clientAuth) {
      this.tls =
          Optional.of(
              new Tls(certificateChain, privateKey, Optional.of(trustedClientRoots), clientAuth));
      this.securityChosen = true;
      return this;
    }

    /** How often to re-read the node's own services (default one second). */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = positive(interval, "refreshInterval");
      return this;
    }

    /** How long to wait for a peer's descriptors (default five seconds). */
    public Builder descriptorTimeout(Duration timeout) {
      this.descriptorTimeout = positive(timeout, "descriptorTimeout");
      return this;
    }

    /** The Runar deadline of gRPC calls that arrive without one (default: the node's). */
    public Builder defaultTimeout(Duration timeout) {
      this.defaultTimeout = Optional.of(positive(timeout, "defaultTimeout"));
      return this;
    }

    /** Response messages asked of the Runar side ahead of a streaming client (default 32). */
    public Builder streamWindow(int messages) {
      if (messages < 1) {
        throw new IllegalArgumentException("streamWindow must be at least 1");
      }
      this.streamWindow = messages;
      return this;
    }

    /**
     * @throws IllegalStateException when neither {@link #plaintext()} nor {@link #tls} was called
     */
    public GrpcGatewayConfig build() {
      if (!securityChosen) {
        throw new IllegalStateException(
            "choose the gateway's transport security: tls(...) or, for this machine only, plaintext()");
      }
      return new GrpcGatewayConfig(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
