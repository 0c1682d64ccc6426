package dev.runar.security;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A node's TLS identity: its private key, its certificate chain (leaf first), and the CA
 * certificates it trusts to sign its peers. In network-CA mode the leaf certificate's common name
 * (CN) is the node id, and peers refuse a node whose handshake claims another id.
 *
 * <p>Immutable. Load from PEM files with {@link #fromPem}, or issue with {@link DevelopmentCa}.
 */
public final class NodeCredentials {
  private final PrivateKey privateKey;
  private final ImmutableList<X509Certificate> certificateChain;
  private final ImmutableList<X509Certificate> trustedCas;

  public NodeCredentials(
      PrivateKey privateKey,
      List<X509Certificate> certificateChain,
      List<X509Certificate> trustedCas) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.certificateChain = ImmutableList.copyOf(certificateChain);
    this.trustedCas = ImmutableList.copyOf(trustedCas);
    if (this.certificateChain.isEmpty()) {
      throw new IllegalArgumentException("empty certificate chain");
    }
  }

  /**
   * Reads credentials from PEM files: the node's certificate chain, its PKCS#8 private key ({@code
   * -----BEGIN PRIVATE KEY-----}, RSA or EC), and the trusted CA certificates.
   */
  public static NodeCredentials fromPem(Path certificateChain, Path privateKey, Path trustedCas)
      throws IOException, GeneralSecurityException {
    return new NodeCredentials(
        readPrivateKey(Files.readString(privateKey, StandardCharsets.US_ASCII)),
        readCertificates(certificateChain),
        readCertificates(trustedCas));
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public List<X509Certificate> certificateChain() {
    return certificateChain;
  }

  public List<X509Certificate> trustedCas() {
    return trustedCas;
  }

  /** The node id this identity vouches for: the CN of the leaf certificate. */
  public String nodeId() {
    return commonName(certificateChain.get(0));
  }

  /** The CN of {@code certificate}'s subject, or "" when it has none. */
  public static String commonName(X509Certificate certificate) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      return "";
    }
    return "";
  }

  static List<X509Certificate> readCertificates(Path pem)
      throws IOException, GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    ImmutableList.Builder<X509Certificate> certificates = ImmutableList.builder();
    try (InputStream in = Files.newInputStream(pem)) {
      factory.generateCertificates(in).forEach(c -> certificates.add((X509Certificate) c));
    }
    return certificates.build();
  }

  static PrivateKey readPrivateKey(String pem) throws GeneralSecurityException {
    String begin = "-----BEGIN PRIVATE KEY-----";
    int start = pem.indexOf(begin);
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (start < 0 || end < 0) {
      throw new GeneralSecurityException("not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException wrongAlgorithm) {
        // try the next one
      }
    }
    throw new GeneralSecurityException("unsupported private key algorithm");
  }
}
