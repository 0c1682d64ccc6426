package dev.runar.security;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for development and tests: creates a network CA and issues node
 * certificates whose CN is the node id, so nodes can run in network-CA (mutual TLS) mode without
 * any external tooling. Keys are EC P-256, certificates valid for a year; certificates are built
 * with BouncyCastle's bcpkix (no testing library on users' class paths).
 *
 * <p>Not for production: the CA key lives in memory or in PEM files without a password.
 * Thread-safe.
 */
public final class DevelopmentCa {
  private static final Duration VALIDITY = Duration.ofDays(365);

  /** The DNS name every node certificate carries: the name a dialer verifies. */
  private static final String PEER_HOST_NAME = "runar-node";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keys;
  private final X509Certificate certificate;

  private DevelopmentCa(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new CA for the network named {@code networkId}. */
  public static DevelopmentCa create(String networkId) {
    try {
      KeyPair keys = ecKeys();
      X500Name name = commonName("Runar development CA for " + networkId);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          builder(name, name, keys)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new DevelopmentCa(keys, sign(builder, keys));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("could not create a development CA", e);
    }
  }

  /** Issues credentials for {@code nodeId}, signed by this CA and trusting it. */
  public NodeCredentials issue(String nodeId) {
    Issued node = issueCertificate(nodeId);
    return new NodeCredentials(
        node.keys().getPrivate(), List.of(node.certificate()), List.of(certificate));
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
    Issued node = issueCertificate(nodeId);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(nodeId + ".crt"), pem(node.certificate()), StandardCharsets.US_ASCII);
    Files.writeString(
        dir.resolve(nodeId + ".key"),
        pem(new JcaPKCS8Generator(node.keys().getPrivate(), null)),
        StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve("ca.crt"), pem(certificate), StandardCharsets.US_ASCII);
  }

  /** The CA certificate peers trust. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** A node's key pair and certificate. */
  private record Issued(KeyPair keys, X509Certificate certificate) {}

  private Issued issueCertificate(String nodeId) {
    try {
      KeyPair node = ecKeys();
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          builder(
                  X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                  commonName(nodeId),
                  node)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(new GeneralName(GeneralName.dNSName, PEER_HOST_NAME)))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(node.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      return new Issued(node, sign(builder, keys));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("could not issue a certificate for " + nodeId, e);
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(VALIDITY)),
        subject,
        subjectKeys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  /** A name with one CN, escaped as needed (a node id may hold commas or equals signs). */
  private static X500Name commonName(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
