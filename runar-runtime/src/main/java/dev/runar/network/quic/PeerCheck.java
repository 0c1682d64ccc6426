package dev.runar.network.quic;

import dev.runar.Status;
import dev.runar.network.WireStatus;
import dev.runar.security.NodeCredentials;
import dev.runar.wire.NodeInfo;
import io.netty.handler.codec.quic.QuicChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The checks a peer's {@code NodeInfo} must pass before any call may use its connection: protocol
 * version, network, a node id that is not our own, the node's own refusals, and in network-CA mode
 * a certificate that vouches for the node id. Stateless; any thread.
 */
final class PeerCheck {
  private PeerCheck() {}

  /** Why the peer claiming {@code info} on {@code channel} must be refused; empty if it may. */
  static Optional<Status> refusal(QuicTransport transport, QuicChannel channel, NodeInfo info) {
    NodeInfo local = transport.localInfo();
    if (info.getProtocolVersion() != QuicConnection.PROTOCOL_VERSION) {
      return Optional.of(
          Status.FAILED_PRECONDITION.withDescription(
              "peer speaks wire protocol "
                  + info.getProtocolVersion()
                  + ", this node speaks "
                  + QuicConnection.PROTOCOL_VERSION));
    }
    if (!info.getNetworkId().equals(local.getNetworkId())) {
      return Optional.of(
          Status.PERMISSION_DENIED.withDescription(
              "peer "
                  + info.getNodeId()
                  + " is on network '"
                  + info.getNetworkId()
                  + "', this node on '"
                  + local.getNetworkId()
                  + "'"));
    }
    if (info.getNodeId().isEmpty()) {
      return Optional.of(Status.INVALID_ARGUMENT.withDescription("peer sent no node id"));
    }
    if (info.getNodeId().equals(local.getNodeId())) {
      return Optional.of(Status.FAILED_PRECONDITION.withDescription("connected to itself"));
    }
    if (transport.isClosing()) {
      return Optional.of(
          WireStatus.notStarted(
              Status.UNAVAILABLE.withDescription("node " + local.getNodeId() + " is leaving")));
    }
    Optional<String> refused = transport.handler().refusal(info);
    if (refused.isPresent()) {
      return Optional.of(Status.INVALID_ARGUMENT.withDescription(refused.get()));
    }
    if (transport.authenticated()) {
      String certified = certifiedNodeId(channel);
      if (!info.getNodeId().equals(certified)) {
        return Optional.of(
            Status.UNAUTHENTICATED.withDescription(
                "peer claims node id '"
                    + info.getNodeId()
                    + "' but its certificate is for '"
                    + certified
                    + "'"));
      }
    }
    return Optional.empty();
  }

  private static String certifiedNodeId(QuicChannel channel) {
    try {
      Certificate[] chain = channel.sslEngine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf
          ? NodeCredentials.commonName(leaf)
          : "";
    } catch (SSLPeerUnverifiedException e) {
      return "";
    }
  }
}
