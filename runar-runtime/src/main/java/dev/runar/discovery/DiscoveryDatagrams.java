package dev.runar.discovery;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runar.wire.DiscoveryPacket;
import dev.runar.wire.Leave;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The datagrams of multicast discovery: a four-byte magic, then one {@link DiscoveryPacket}; and
 * the conversion between an announcement and its wire form. Anything malformed reads as empty, so a
 * receiver counts it and moves on. Stateless.
 */
final class DiscoveryDatagrams {
  static final byte[] MAGIC = "RNR1".getBytes(StandardCharsets.US_ASCII);

  private DiscoveryDatagrams() {}

  /** The datagram carrying {@code packet}, ready to send. */
  static ByteBuffer encode(DiscoveryPacket packet) {
    ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + packet.getSerializedSize());
    return buffer.put(MAGIC).put(packet.toByteArray()).flip();
  }

  /**
   * The packet in {@code datagram}; empty when it is over {@code maxSize}, foreign or malformed.
   */
  static Optional<DiscoveryPacket> decode(ByteBuffer datagram, int maxSize) {
    if (datagram.remaining() > maxSize || !hasMagic(datagram)) {
      return Optional.empty();
    }
    try {
      return Optional.of(DiscoveryPacket.parseFrom(datagram.position(MAGIC.length)));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  /** The announcement of {@code self}. */
  static DiscoveryPacket announce(PeerAnnouncement self) {
    return DiscoveryPacket.newBuilder().setAnnounce(self.toAnnounce()).build();
  }

  /** The goodbye of {@code self}. */
  static DiscoveryPacket leave(PeerAnnouncement self) {
    return DiscoveryPacket.newBuilder()
        .setLeave(Leave.newBuilder().setNodeId(self.nodeId()).setNetworkId(self.networkId()))
        .build();
  }

  private static boolean hasMagic(ByteBuffer datagram) {
    if (datagram.remaining() < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (datagram.get(i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
