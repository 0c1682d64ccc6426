package dev.runar.discovery.etcd;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.runar.discovery.PeerAnnouncement;
import dev.runar.wire.Announce;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How a node's registration is stored: the key {@code <prefix><network id>/<node id>}, and as value
 * the multicast announcement's fields ({@code Announce} of {@code runar/wire.proto}) in JSON, so
 * {@code etcdctl get --prefix /runar/} shows them readably. Unknown fields are ignored (newer
 * writers), addresses must be numeric. Stateless.
 */
final class Registrations {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private Registrations() {}

  /** The prefix all registrations of {@code networkId} share. */
  static String networkPrefix(String keyPrefix, String networkId) {
    return keyPrefix + networkId + "/";
  }

  static String key(String keyPrefix, PeerAnnouncement node) {
    return networkPrefix(keyPrefix, node.networkId()) + node.nodeId();
  }

  static byte[] encode(PeerAnnouncement node) {
    Announce announce = node.toAnnounce();
    try {
      return PRINTER.print(announce).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print an Announce", e);
    }
  }

  /** The registration in {@code value}; empty when it is malformed. */
  static Optional<PeerAnnouncement> decode(byte[] value) {
    Announce.Builder announce = Announce.newBuilder();
    try {
      PARSER.merge(new String(value, StandardCharsets.UTF_8), announce);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return Optional.empty();
    }
    if (announce.getNodeId().isEmpty() || announce.getNetworkId().isEmpty()) {
      return Optional.empty();
    }
    return PeerAnnouncement.fromAnnounce(announce.build());
  }
}
