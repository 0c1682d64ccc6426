package dev.runar.discovery;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runar.network.Addresses;
import dev.runar.wire.Announce;
import dev.runar.wire.DiscoveryPacket;
import dev.runar.wire.Leave;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    Announce.Builder announce =
        Announce.newBuilder()
            .setNodeId(self.nodeId())
            .setNetworkId(self.networkId())
            .setCapabilityVersion(self.capabilityVersion())
            .setInstanceId(self.instanceId());
    self.addresses().forEach(a -> announce.addAddresses(Addresses.format(a)));
    return DiscoveryPacket.newBuilder().setAnnounce(announce).build();
  }

  /** The goodbye of {@code self}. */
  static DiscoveryPacket leave(PeerAnnouncement self) {
    return DiscoveryPacket.newBuilder()
        .setLeave(Leave.newBuilder().setNodeId(self.nodeId()).setNetworkId(self.networkId()))
        .build();
  }

  /**
   * What {@code announce} says; empty when an address in it is not a numeric {@code host:port}
   * (nothing is resolved: a forged name must not make the receiver wait for DNS).
   */
  static Optional<PeerAnnouncement> read(Announce announce) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String address : announce.getAddressesList()) {
      try {
        addresses.add(Addresses.parseNumeric(address));
      } catch (IllegalArgumentException | IllegalStateException e) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new PeerAnnouncement(
            announce.getNodeId(),
            announce.getNetworkId(),
            addresses,
            announce.getCapabilityVersion(),
            announce.getInstanceId()));
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
