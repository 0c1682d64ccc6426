package dev.runar.discovery;

import com.google.common.collect.ImmutableList;
import dev.runar.network.Addresses;
import dev.runar.wire.Announce;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What discovery knows of a node: who it is, where it listens and how current its capabilities are.
 * Discovery only tells that a node exists; the node decides whether to connect.
 *
 * @param nodeId the node's id, or "" when only its address is known (a static seed)
 * @param networkId the network it belongs to
 * @param addresses where it accepts QUIC connections
 * @param capabilityVersion grows when its services or subscriptions change
 * @param instanceId random per start of the node (0 when unknown): a new one means the node
 *     restarted, so a connection to its old instance is stale
 */
public record PeerAnnouncement(
    String nodeId,
    String networkId,
    List<InetSocketAddress> addresses,
    long capabilityVersion,
    long instanceId) {
  public PeerAnnouncement {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(networkId, "networkId");
    addresses = ImmutableList.copyOf(addresses);
  }

  /** A node whose instance is unknown (a static seed, say). */
  public PeerAnnouncement(
      String nodeId, String networkId, List<InetSocketAddress> addresses, long capabilityVersion) {
    this(nodeId, networkId, addresses, capabilityVersion, 0);
  }

  /** The same node with a new capability version. */
  public PeerAnnouncement withCapabilityVersion(long version) {
    return new PeerAnnouncement(nodeId, networkId, addresses, version, instanceId);
  }

  /** This announcement in its wire form, as discovery implementations send or store it. */
  public Announce toAnnounce() {
    Announce.Builder announce =
        Announce.newBuilder()
            .setNodeId(nodeId)
            .setNetworkId(networkId)
            .setCapabilityVersion(capabilityVersion)
            .setInstanceId(instanceId);
    addresses.forEach(a -> announce.addAddresses(Addresses.format(a)));
    return announce.build();
  }

  /**
   * What {@code announce} says; empty when an address in it is not a numeric {@code host:port}
   * (nothing is resolved: a forged name must not make the receiver wait for DNS).
   */
  public static Optional<PeerAnnouncement> fromAnnounce(Announce announce) {
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
}
