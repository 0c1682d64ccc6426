package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class CallTableTest {
  @Test
  void keepsCallsByIdLikeAMap() {
    CallTable<String> table = new CallTable<>();
    assertNull(table.put(1, "a"));
    assertNull(table.put(2, "b"));
    assertNull(table.put(0, "zero"));
    assertNull(table.put(Long.MIN_VALUE, "min"));
    assertEquals("a", table.put(1, "a2"));
    assertEquals(4, table.size());
    assertEquals("a2", table.get(1));
    assertEquals("zero", table.get(0));
    assertEquals("min", table.get(Long.MIN_VALUE));
    assertTrue(table.containsKey(2));
    assertFalse(table.containsKey(3));
    assertNull(table.get(3));

    assertEquals("b", table.remove(2));
    assertNull(table.remove(2));
    assertFalse(table.containsKey(2));

    table.values().removeIf(v -> v.startsWith("a"));
    assertNull(table.get(1));
    assertEquals(Set.of("zero", "min"), new HashSet<>(table.values()));

    table.clear();
    assertEquals(0, table.size());
    assertNull(table.get(0));
  }

  @Test
  void manyCallsComeAndGo() {
    CallTable<Long> table = new CallTable<>();
    SplittableRandom random = new SplittableRandom(15);
    Set<Long> expected = new HashSet<>();
    for (long id = 1; id <= 20_000; id++) {
      table.put(id, id);
      expected.add(id);
      if (random.nextInt(3) > 0) { // replies out of order, a window of calls in flight
        long done = id - random.nextInt((int) Math.min(id, 300));
        assertEquals(expected.remove(done) ? done : null, table.remove(done));
      }
    }
    assertEquals(expected.size(), table.size());
    expected.forEach(id -> assertEquals(id, table.get(id)));
  }

  /**
   * Netty's map puts a key in slot {@code (int) (key ^ key >>> 32) & mask} and probes the next
   * slots: the calls in flight must not form long runs of occupied slots, or every removal scans
   * the rest of its run. Sequential ids and ids a peer picked to share their low bits both form one
   * run of every call without the mix.
   */
  @Test
  void idsSpreadOverTheTable() {
    int slots = 1024;
    int inFlight = 256;
    for (long seed : new long[] {0, 1, -1, 0x5DEECE66DL, 42}) {
      LongUnaryOperator mixed = id -> CallTable.key(id, seed);
      assertTrue(longestRun(i -> 1_000_000 + i, mixed, inFlight, slots) < 24, "sequential ids");
      assertTrue(longestRun(i -> i << 20, mixed, inFlight, slots) < 24, "ids sharing low bits");
      assertTrue(longestRun(i -> i * slots, mixed, inFlight, slots) < 24, "multiples of the size");
    }
    assertEquals(inFlight, longestRun(i -> 1_000_000 + i, id -> id, inFlight, slots));
    assertEquals(inFlight, longestRun(i -> i << 20, id -> id, inFlight, slots));
  }

  @Test
  void distinctIdsHaveDistinctKeys() {
    Set<Long> keys = new HashSet<>();
    for (long id = -50_000; id < 50_000; id++) {
      assertTrue(keys.add(CallTable.key(id, 0x9E3779B97F4A7C15L)));
    }
  }

  /** Places {@code count} keys as Netty's map does; returns the longest run of occupied slots. */
  private static int longestRun(
      LongUnaryOperator ids, LongUnaryOperator keyOf, int count, int slots) {
    boolean[] used = new boolean[slots];
    int mask = slots - 1;
    for (int i = 0; i < count; i++) {
      long key = keyOf.applyAsLong(ids.applyAsLong(i));
      int slot = (int) (key ^ (key >>> 32)) & mask;
      while (used[slot]) {
        slot = (slot + 1) & mask;
      }
      used[slot] = true;
    }
    int longest = 0;
    int run = 0;
    for (int i = 0; i < 2 * slots; i++) { // twice round: a run may wrap
      run = used[i & mask] ? run + 1 : 0;
      longest = Math.max(longest, Math.min(run, count));
    }
    return longest;
  }
}
