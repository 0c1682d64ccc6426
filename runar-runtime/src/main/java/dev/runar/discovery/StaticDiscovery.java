package dev.runar.discovery;

import com.google.common.collect.ImmutableList;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Discovery from a fixed list of seed addresses, for networks without multicast. Each seed is
 * reported once, by address only; the node learns the seed's id from the handshake and keeps
 * reconnecting to it with backoff while it is unreachable. Seeds are never reported lost.
 */
public final class StaticDiscovery implements NodeDiscovery {
  private final ImmutableList<InetSocketAddress> seeds;

  private StaticDiscovery(List<InetSocketAddress> seeds) {
    this.seeds = ImmutableList.copyOf(seeds);
  }

  public static StaticDiscovery of(InetSocketAddress... seeds) {
    return new StaticDiscovery(List.of(seeds));
  }

  public static StaticDiscovery of(List<InetSocketAddress> seeds) {
    return new StaticDiscovery(seeds);
  }

  @Override
  public void start(PeerAnnouncement self, Listener listener) {
    for (InetSocketAddress seed : seeds) {
      if (!self.addresses().contains(seed)) {
        listener.discovered(new PeerAnnouncement("", self.networkId(), List.of(seed), 0));
      }
    }
  }

  @Override
  public void update(PeerAnnouncement self) {
    // Seeds learn about changes through the connection's capability updates.
  }

  @Override
  public void close() {}
}
