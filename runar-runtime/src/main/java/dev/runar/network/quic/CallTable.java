package dev.runar.network.quic;

import io.netty.util.collection.LongObjectHashMap;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One connection's calls on its lanes, by call id: the caller's calls awaiting replies, or the
 * callee's calls being served.
 *
 * <p>Netty's open-addressing map places a key by its low bits and probes the slots after it, and
 * call ids are sequential: the ids of the calls in flight would fill one run of adjacent slots, and
 * every removal would scan the rest of the run, so a call would cost more the more calls are in
 * flight (at 256 in flight, about one in seven of the caller's event-loop samples in Java, measured
 * with JFR). The callee's table holds ids its peer chose: ids picked to land in one run would make
 * each call of a read cost the whole run, quadratic in the calls a read carries. So each id is
 * scrambled with a bijective mix seeded per table: ids spread over the table whatever their
 * pattern, and where a peer's ids land depends on a seed it does not know.
 *
 * <p>Not thread-safe: the connection's event loop.
 */
final class CallTable<V> {
  private final long seed = ThreadLocalRandom.current().nextLong();
  private final LongObjectHashMap<V> calls = new LongObjectHashMap<>();

  V get(long id) {
    return calls.get(key(id));
  }

  boolean containsKey(long id) {
    return calls.containsKey(key(id));
  }

  /** Adds {@code call} under {@code id}; returns the call it replaced, or null. */
  V put(long id, V call) {
    return calls.put(key(id), call);
  }

  /** Removes the call under {@code id}; returns it, or null if there was none. */
  V remove(long id) {
    return calls.remove(key(id));
  }

  /** The calls, as a view that removals go through to. */
  Collection<V> values() {
    return calls.values();
  }

  void clear() {
    calls.clear();
  }

  int size() {
    return calls.size();
  }

  private long key(long id) {
    return key(id, seed);
  }

  /** MurmurHash3's 64-bit finalizer of the seeded id: one to one, so distinct ids stay distinct. */
  static long key(long id, long seed) {
    long x = id ^ seed;
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }
}
