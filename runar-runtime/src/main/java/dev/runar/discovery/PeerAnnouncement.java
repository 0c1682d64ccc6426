package dev.runar.discovery;

import com.google.common.collect.ImmutableList;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

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
}
