package dev.runar.discovery;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discovery between nodes in one JVM, through a shared {@link Network}: for tests with many nodes.
 * Every node of the same network id sees every other one at once.
 */
public final class MemoryDiscovery implements NodeDiscovery {
  /** The shared medium: create one per test and one discovery per node from it. */
  public static final class Network {
    private final Map<String, MemoryDiscovery> members = new ConcurrentHashMap<>();

    public MemoryDiscovery discovery() {
      return new MemoryDiscovery(this);
    }

    private synchronized void join(MemoryDiscovery joining) {
      members.put(joining.self.nodeId(), joining);
      for (MemoryDiscovery other : members.values()) {
        if (other != joining && other.sameNetwork(joining)) {
          other.listener.discovered(joining.self);
          joining.listener.discovered(other.self);
        }
      }
    }

    private synchronized void announce(MemoryDiscovery changed) {
      for (MemoryDiscovery other : members.values()) {
        if (other != changed && other.sameNetwork(changed)) {
          other.listener.discovered(changed.self);
        }
      }
    }

    private synchronized void leave(MemoryDiscovery leaving) {
      if (members.remove(leaving.self.nodeId(), leaving)) {
        for (MemoryDiscovery other : members.values()) {
          if (other.sameNetwork(leaving)) {
            other.listener.lost(leaving.self.nodeId());
          }
        }
      }
    }
  }

  private final Network network;
  private volatile PeerAnnouncement self;
  private volatile Listener listener;

  private MemoryDiscovery(Network network) {
    this.network = network;
  }

  @Override
  public void start(PeerAnnouncement self, Listener listener) {
    this.self = Objects.requireNonNull(self, "self");
    this.listener = Objects.requireNonNull(listener, "listener");
    network.join(this);
  }

  @Override
  public void update(PeerAnnouncement self) {
    this.self = self;
    network.announce(this);
  }

  @Override
  public void close() {
    if (self != null) {
      network.leave(this);
    }
  }

  private boolean sameNetwork(MemoryDiscovery other) {
    return self.networkId().equals(other.self.networkId());
  }
}
