package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.network.Peers;
import dev.runar.network.Peers.PeerState;
import dev.runar.wire.NodeInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerRegistryTest {
  private final PeerRegistry registry = new PeerRegistry();
  private final List<String> changes = new ArrayList<>();
  private final InetSocketAddress address = new InetSocketAddress("127.0.0.1", 4000);

  PeerRegistryTest() {
    registry.addListener(
        (before, after) ->
            changes.add(
                (before == null ? "-" : before.state().name())
                    + ">"
                    + (after == null ? "-" : after.state().name())));
  }

  @Test
  void peerGoesThroughItsStates() {
    registry.discovered("b", List.of(address), 1);
    assertTrue(registry.connecting("b"));
    assertFalse(registry.connecting("b"), "already connecting");
    registry.connected(
        NodeInfo.newBuilder().setNodeId("b").setCapabilityVersion(3).build(), List.of());
    assertEquals(PeerState.CONNECTED, registry.get("b").orElseThrow().state());
    assertEquals(3, registry.get("b").orElseThrow().capabilityVersion());
    assertEquals(List.of(address), registry.get("b").orElseThrow().addresses());
    registry.disconnected("b");
    registry.discovered("b", List.of(address), 4);
    registry.remove("b");
    assertTrue(registry.get("b").isEmpty());
    assertEquals(
        List.of(
            "->DISCOVERED",
            "DISCOVERED>CONNECTING",
            "CONNECTING>CONNECTED",
            "CONNECTED>DISCONNECTED",
            "DISCONNECTED>DISCOVERED",
            "DISCOVERED>-"),
        changes);
  }

  @Test
  void rediscoveryKeepsAConnectedPeerConnected() {
    registry.connected(
        NodeInfo.newBuilder().setNodeId("c").setCapabilityVersion(2).build(), List.of(address));
    registry.discovered("c", List.of(address), 5);
    Peers.Peer peer = registry.get("c").orElseThrow();
    assertEquals(PeerState.CONNECTED, peer.state());
    assertEquals(5, peer.capabilityVersion());
    assertFalse(registry.connecting("c"));
    assertNull(registry.get("nobody").orElse(null));
  }
}
