package dev.runar.network.quic;

import dev.runar.security.DevelopmentCa;
import dev.runar.security.NodeCredentials;
import dev.runar.security.Security;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS 1.3 contexts of a transport, from its {@link Security} mode. In network-CA mode both
 * sides present their certificate and verify the peer's against the CA; the node id check (CN
 * equals the id claimed in the handshake) happens after the handshake, in {@link QuicConnection}.
 * Node certificates all carry the DNS name {@value #PEER_HOST_NAME}, which is the name a dialer
 * verifies: the address dialed says nothing about which node answers.
 */
final class TlsContexts {
  static final String PEER_HOST_NAME = "runar-node";

  final QuicSslContext server;
  final QuicSslContext client;
  final boolean authenticated;

  private TlsContexts(QuicSslContext server, QuicSslContext client, boolean authenticated) {
    this.server = server;
    this.client = client;
    this.authenticated = authenticated;
  }

  static TlsContexts create(Security security, String nodeId) {
    if (security.isDevelopment()) {
      NodeCredentials self = DevelopmentCa.selfSigned(nodeId);
      QuicSslContext server =
          QuicSslContextBuilder.forServer(self.privateKey(), null, chain(self))
              .applicationProtocols(QuicTransportConfig.ALPN)
              .clientAuth(ClientAuth.NONE)
              .build();
      QuicSslContext client =
          QuicSslContextBuilder.forClient()
              .trustManager(InsecureTrustManagerFactory.INSTANCE)
              .applicationProtocols(QuicTransportConfig.ALPN)
              .build();
      return new TlsContexts(server, client, false);
    }
    NodeCredentials credentials = security.credentials().orElseThrow();
    X509Certificate[] cas = credentials.trustedCas().toArray(X509Certificate[]::new);
    QuicSslContext server =
        QuicSslContextBuilder.forServer(credentials.privateKey(), null, chain(credentials))
            .applicationProtocols(QuicTransportConfig.ALPN)
            .clientAuth(ClientAuth.REQUIRE)
            .trustManager(cas)
            .build();
    QuicSslContext client =
        QuicSslContextBuilder.forClient()
            .keyManager(credentials.privateKey(), null, chain(credentials))
            .trustManager(cas)
            .applicationProtocols(QuicTransportConfig.ALPN)
            .build();
    return new TlsContexts(server, client, true);
  }

  private static X509Certificate[] chain(NodeCredentials credentials) {
    List<X509Certificate> chain = credentials.certificateChain();
    return chain.toArray(X509Certificate[]::new);
  }
}
