package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.registry.TopicPath;
import org.junit.jupiter.api.Test;

class PathCacheTest {
  private final PathCache cache = new PathCache("net");

  @Test
  void parsesInTheNodesNetworkAndReusesTheResult() {
    TopicPath first = cache.parse("math/add");
    assertEquals(TopicPath.parse("net:math/add"), first);
    assertSame(first, cache.parse("math/add"));
    assertEquals(TopicPath.parse("other:math/add"), cache.parse("other:math/add"));
  }

  @Test
  void malformedPathsFailEveryTime() {
    assertThrows(IllegalArgumentException.class, () -> cache.parse("math//add"));
    assertThrows(IllegalArgumentException.class, () -> cache.parse("math//add"));
  }

  @Test
  void staysBoundedWhateverPeersSend() {
    TopicPath kept = cache.parse("math/add");
    for (int i = 0; i < PathCache.MAX_ENTRIES * 3; i++) {
      assertEquals(TopicPath.parse("net:junk/p" + i), cache.parse("junk/p" + i));
    }
    // The cache started over at least once: the old entry is parsed afresh, still correct.
    assertEquals(kept, cache.parse("math/add"));
    assertTrue(cache.size() <= PathCache.MAX_ENTRIES, "size " + cache.size());
  }
}
