package dev.runar.security;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A certificate authority for development and tests: creates a network CA and issues node
 * certificates whose CN is the node id, so nodes can run in network-CA (mutual TLS) mode without
 * any external tooling. Keys are EC P-256, certificates valid for a year.
 *
 * <p>Not for production: the CA key lives in memory or in PEM files without a password.
 */
public final class DevelopmentCa {
  private static final Duration VALIDITY = Duration.ofDays(365);

  private final X509Bundle ca;

  private DevelopmentCa(X509Bundle ca) {
    this.ca = ca;
  }

  /** A new CA for the network named {@code networkId}. */
  public static DevelopmentCa create(String networkId) {
    try {
      Instant now = Instant.now();
      return new DevelopmentCa(
          new CertificateBuilder()
              .subject("CN=Runar development CA for " + networkId)
              .setIsCertificateAuthority(true)
              .ecp256()
              .notBefore(now.minus(Duration.ofMinutes(5)))
              .notAfter(now.plus(VALIDITY))
              .buildSelfSigned());
    } catch (Exception e) {
      throw new IllegalStateException("could not create a development CA", e);
    }
  }

  /** Issues credentials for {@code nodeId}, signed by this CA and trusting it. */
  public NodeCredentials issue(String nodeId) {
    X509Bundle node = issueBundle(nodeId);
    return new NodeCredentials(
        node.getKeyPair().getPrivate(), List.of(node.getCertificatePath()), List.of(ca.getCertificate()));
  }

  /** Self-signed credentials trusting nothing: what development mode uses. */
  public static NodeCredentials selfSigned(String nodeId) {
    DevelopmentCa throwaway = create("self-signed");
    NodeCredentials issued = throwaway.issue(nodeId);
    return new NodeCredentials(issued.privateKey(), issued.certificateChain(), List.of());
  }

  /**
   * Writes {@code nodeId}'s credentials as PEM files into {@code dir}: {@code <nodeId>.crt}
   * (chain), {@code <nodeId>.key} (PKCS#8) and {@code ca.crt}; readable with {@link
   * NodeCredentials#fromPem}.
   */
  public void writePem(String nodeId, Path dir) throws IOException {
    X509Bundle node = issueBundle(nodeId);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(nodeId + ".crt"), node.getCertificatePathPEM(), StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve(nodeId + ".key"), node.getPrivateKeyPEM(), StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve("ca.crt"), ca.getCertificatePEM(), StandardCharsets.US_ASCII);
  }

  /** The CA certificate peers trust. */
  public X509Certificate certificate() {
    return ca.getCertificate();
  }

  private X509Bundle issueBundle(String nodeId) {
    try {
      Instant now = Instant.now();
      return new CertificateBuilder()
          .subject("CN=" + nodeId)
          .addSanDnsName("runar-node")
          .ecp256()
          .notBefore(now.minus(Duration.ofMinutes(5)))
          .notAfter(now.plus(VALIDITY))
          .addExtendedKeyUsageServerAuth()
          .addExtendedKeyUsageClientAuth()
          .buildIssuedBy(ca);
    } catch (Exception e) {
      throw new IllegalStateException("could not issue a certificate for " + nodeId, e);
    }
  }
}
