package dev.runar;

import dev.runar.registry.TopicPath;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed paths by their text, for one node's network. Calls and events name the same few paths over
 * and over, and parsing one (splitting, validating, building segments) costs more than the rest of
 * routing; a lookup here costs a hash. Paths from peers are untrusted text, so the cache is
 * bounded: when full it starts over, and only well-formed paths are kept.
 */
final class PathCache {
  static final int MAX_ENTRIES = 1024;

  private final String network;
  private final ConcurrentHashMap<String, TopicPath> parsed = new ConcurrentHashMap<>();

  PathCache(String network) {
    this.network = network;
  }

  /**
   * {@link TopicPath#parse(String, String)} in this node's network.
   *
   * @throws IllegalArgumentException for a malformed path
   */
  TopicPath parse(String path) {
    TopicPath cached = parsed.get(path);
    if (cached != null) {
      return cached;
    }
    TopicPath fresh = TopicPath.parse(path, network);
    if (parsed.size() >= MAX_ENTRIES) {
      parsed.clear();
    }
    parsed.put(path, fresh);
    return fresh;
  }

  int size() {
    return parsed.size();
  }
}
