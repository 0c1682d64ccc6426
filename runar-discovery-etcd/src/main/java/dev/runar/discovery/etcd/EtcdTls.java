package dev.runar.discovery.etcd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings for the connection to etcd: the CA that signed etcd's server certificates, and, when
 * etcd requires client certificates ({@code --client-cert-auth}), this client's certificate and
 * key. All are PEM files, read when the discovery connects. Immutable and thread-safe.
 */
public final class EtcdTls {
  private final Path trustedCertificates;
  private final Optional<Path> clientCertificate;
  private final Optional<Path> clientKey;
  private final Optional<String> authority;

  private EtcdTls(
      Path trusted, Optional<Path> certificate, Optional<Path> key, Optional<String> authority) {
    this.trustedCertificates = trusted;
    this.clientCertificate = certificate;
    this.clientKey = key;
    this.authority = authority;
  }

  /** Verifies etcd's certificates with the CA certificates in {@code caPem}. */
  public static EtcdTls trusting(Path caPem) {
    Objects.requireNonNull(caPem, "caPem");
    if (!Files.isReadable(caPem)) {
      throw new IllegalArgumentException("cannot read " + caPem);
    }
    return new EtcdTls(caPem, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The same, also presenting a client certificate (PEM chain) and its PKCS#8 PEM key. */
  public EtcdTls withClientCertificate(Path certificatePem, Path keyPem) {
    return new EtcdTls(
        trustedCertificates,
        Optional.of(Objects.requireNonNull(certificatePem, "certificatePem")),
        Optional.of(Objects.requireNonNull(keyPem, "keyPem")),
        authority);
  }

  /**
   * The same, verifying etcd's certificate against {@code serverName} rather than the endpoint's
   * host (for endpoints given by IP address whose certificate names a host).
   */
  public EtcdTls withServerName(String serverName) {
    return new EtcdTls(trustedCertificates, clientCertificate, clientKey, Optional.of(serverName));
  }

  public Path trustedCertificates() {
    return trustedCertificates;
  }

  public Optional<Path> clientCertificate() {
    return clientCertificate;
  }

  public Optional<Path> clientKey() {
    return clientKey;
  }

  /** The name etcd's certificate must carry, when not the endpoint's host. */
  public Optional<String> serverName() {
    return authority;
  }

  @Override
  public String toString() {
    return "EtcdTls[trusting "
        + trustedCertificates
        + clientCertificate.map(c -> ", client " + c).orElse("")
        + "]";
  }
}
