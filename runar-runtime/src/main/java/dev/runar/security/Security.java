package dev.runar.security;

import java.util.Objects;
import java.util.Optional;

/**
 * How a node secures its QUIC connections. QUIC always runs TLS 1.3; what differs is whom a node
 * trusts:
 *
 * <ul>
 *   <li>{@link #networkCa} (production): each node presents a certificate signed by the network's
 *       CA, both sides verify the other (mutual TLS), and the node id a peer claims must be its
 *       certificate's CN.
 *   <li>{@link #development()}: each node makes a self-signed certificate at start and peers are
 *       not authenticated; traffic is encrypted but anyone can join. The node logs a warning.
 * </ul>
 */
public final class Security {
  private final NodeCredentials credentials;

  private Security(NodeCredentials credentials) {
    this.credentials = credentials;
  }

  /** Mutual TLS with certificates signed by the network CA. */
  public static Security networkCa(NodeCredentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    if (credentials.trustedCas().isEmpty()) {
      throw new IllegalArgumentException("network-CA mode needs the CA certificate to trust");
    }
    return new Security(credentials);
  }

  /** Encrypted but unauthenticated: for development only. */
  public static Security development() {
    return new Security(null);
  }

  public boolean isDevelopment() {
    return credentials == null;
  }

  /** The node's credentials in network-CA mode. */
  public Optional<NodeCredentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  @Override
  public String toString() {
    return isDevelopment()
        ? "Security[development]"
        : "Security[network CA, node " + credentials.nodeId() + "]";
  }
}
