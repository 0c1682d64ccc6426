package dev.runar.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes multicast discovery has heard, when it last heard each and which instance (process) it
 * announced; bounded, so a flood of invented node ids cannot grow it without end. Thread-safe.
 */
final class SeenNodes {
  /** What an announcement was, as far as the table is concerned. */
  enum Sighting {
    /** A node not seen before, or a new instance of one (it restarted). */
    NEW,
    /** The same instance again. */
    AGAIN,
    /** A new node while the table is full: ignore it. */
    REFUSED
  }

  private final int maxNodes;
  private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> instances = new ConcurrentHashMap<>();

  SeenNodes(int maxNodes) {
    this.maxNodes = maxNodes;
  }

  /** Records an announcement of {@code nodeId}'s {@code instanceId} heard at {@code nanoTime}. */
  Sighting saw(String nodeId, long instanceId, long nanoTime) {
    if (!lastSeen.containsKey(nodeId) && lastSeen.size() >= maxNodes) {
      return Sighting.REFUSED;
    }
    lastSeen.put(nodeId, nanoTime);
    Long previous = instances.put(nodeId, instanceId);
    return previous == null || previous != instanceId ? Sighting.NEW : Sighting.AGAIN;
  }

  /** Forgets a node that said goodbye; whether it was known. */
  boolean left(String nodeId) {
    if (lastSeen.remove(nodeId) == null) {
      return false;
    }
    instances.remove(nodeId);
    return true;
  }

  /** Forgets and returns the nodes not heard for longer than {@code ttlNanos}. */
  List<String> expire(long nowNanos, long ttlNanos) {
    List<String> expired = new ArrayList<>();
    lastSeen.forEach(
        (id, seen) -> {
          if (nowNanos - seen > ttlNanos && lastSeen.remove(id, seen)) {
            instances.remove(id);
            expired.add(id);
          }
        });
    return expired;
  }
}
