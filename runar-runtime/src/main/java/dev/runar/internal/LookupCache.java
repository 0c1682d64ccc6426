package dev.runar.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Lookups in an index that changes rarely, cached by key until the next change: calls hit the same
 * few paths, and a hit costs a hash instead of a trie walk under the trie's lock. Every change
 * swaps in an empty map, and a value is only ever stored into the map taken before its lookup, so a
 * value looked up before a change can never outlive it. A template matches any number of concrete
 * paths, so the cache is bounded: when full, it starts over.
 *
 * <p>Thread-safe.
 *
 * @param <K> the key (a concrete path)
 * @param <V> what the index answers for it
 */
public final class LookupCache<K, V> {
  private final int maxEntries;
  private final Function<K, V> lookup;
  private volatile ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();

  /**
   * @param lookup asks the index; a null answer is not cached
   */
  public LookupCache(int maxEntries, Function<K, V> lookup) {
    this.maxEntries = maxEntries;
    this.lookup = lookup;
  }

  /** The index's answer for {@code key}, or null when it has none. */
  public V get(K key) {
    ConcurrentHashMap<K, V> cache = entries;
    V value = cache.get(key);
    if (value == null) {
      value = lookup.apply(key);
      if (value != null) {
        if (cache.size() >= maxEntries) {
          cache.clear();
        }
        cache.put(key, value);
      }
    }
    return value;
  }

  /** Forgets every answer: call after each change to the index. */
  public void invalidate() {
    entries = new ConcurrentHashMap<>();
  }
}
