package dev.runar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.runar.registry.TopicPath;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathTrieTest {
  private final PathTrie<String> trie = new PathTrie<>();

  private void add(String pattern) {
    trie.add(TopicPath.parse(pattern), pattern);
  }

  private String best(String path) {
    return trie.best(TopicPath.parse(path)).map(Match::value).orElse(null);
  }

  @Test
  void literalBeatsTemplateBeatsStarBeatsRest() {
    add("users/>");
    add("users/*");
    add("users/{id}");
    add("users/admin");
    assertEquals("users/admin", best("users/admin"));
    assertEquals("users/{id}", best("users/42"));
    assertEquals("users/>", best("users/42/posts"));
    trie.remove(TopicPath.parse("users/{id}"), "users/{id}");
    assertEquals("users/*", best("users/42"));
  }

  @Test
  void precedenceIsDecidedAtTheFirstDifferingSegment() {
    add("a/{p}/b");
    add("a/x/>");
    assertEquals("a/x/>", best("a/x/b"));
    assertEquals("a/{p}/b", best("a/y/b"));
  }

  @Test
  void backtracksWhenTheMoreSpecificBranchDeadEnds() {
    add("a/x/c");
    add("a/{p}/d");
    assertEquals("a/{p}/d", best("a/x/d"));
    assertEquals(null, best("a/x/e"));
  }

  @Test
  void templateValuesAreCaptured() {
    add("rooms/{room}/messages/{id}");
    Match<String> m = trie.best(TopicPath.parse("rooms/blue/messages/7")).orElseThrow();
    assertEquals(ImmutableMap.of("room", "blue", "id", "7"), m.params());
  }

  @Test
  void networksAreSeparate() {
    trie.add(TopicPath.parse("lab:math/add"), "lab");
    trie.add(TopicPath.parse("math/add"), "default");
    assertEquals("lab", best("lab:math/add"));
    assertEquals("default", best("math/add"));
    assertEquals(null, best("other:math/add"));
  }

  @Test
  void restNeedsAtLeastOneSegment() {
    add("a/>");
    assertEquals(null, best("a"));
    assertEquals("a/>", best("a/b"));
  }

  @Test
  void allReturnsEveryMatchMostSpecificFirst() {
    add("s/>");
    add("s/*/t");
    add("s/k/t");
    add("x/>");
    List<String> all = trie.all(TopicPath.parse("s/k/t")).stream().map(Match::value).toList();
    assertEquals(List.of("s/k/t", "s/*/t", "s/>"), all);
  }

  @Test
  void severalValuesUnderOnePattern() {
    trie.add(TopicPath.parse("e/>"), "one");
    trie.add(TopicPath.parse("e/>"), "two");
    assertEquals(List.of("one", "two"), trie.exact(TopicPath.parse("e/>")));
    assertTrue(trie.remove(TopicPath.parse("e/>"), "one"));
    assertEquals(List.of("two"), trie.exact(TopicPath.parse("e/>")));
  }
}
