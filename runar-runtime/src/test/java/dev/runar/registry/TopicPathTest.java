package dev.runar.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicPathTest {
  @Test
  void parsesNetworkAndSegments() {
    TopicPath p = TopicPath.parse("home:sensors/kitchen/temp");
    assertEquals("home", p.network());
    assertEquals(List.of("sensors", "kitchen", "temp"), p.segments());
    assertEquals("home:sensors/kitchen/temp", p.toString());
    assertEquals("sensors/kitchen/temp", p.actionPath());
    assertFalse(p.isPattern());
  }

  @Test
  void pathWithoutNetworkBelongsToTheDefault() {
    assertEquals("default", TopicPath.parse("math/add").network());
    assertEquals("lab", TopicPath.parse("math/add", "lab").network());
    assertEquals(TopicPath.parse("lab:math/add"), TopicPath.parse("math/add", "lab"));
  }

  @Test
  void rejectsMalformedPaths() {
    for (String bad :
        List.of(
            "", "a//b", "/a", "a/", ":a", "net:", "a/>/b", "a/{x", "a/x}", "a/{}", "a/b:c",
            "n/x:a")) {
      assertThrows(IllegalArgumentException.class, () -> TopicPath.parse(bad), bad);
    }
  }

  @Test
  void patternsAreRecognised() {
    assertTrue(TopicPath.parse("a/{id}").isPattern());
    assertTrue(TopicPath.parse("a/*").isPattern());
    assertTrue(TopicPath.parse("a/>").isPattern());
  }

  @Test
  void matchCapturesTemplatesAndHonoursWildcards() {
    TopicPath pattern = TopicPath.parse("rooms/{room}/*/>");
    assertEquals(
        Optional.of(ImmutableMap.of("room", "blue")),
        pattern.match(TopicPath.parse("rooms/blue/msg/1/2")));
    assertEquals(Optional.empty(), pattern.match(TopicPath.parse("rooms/blue/msg")));
    assertEquals(Optional.empty(), pattern.match(TopicPath.parse("other:rooms/blue/msg/1")));
    assertEquals(Optional.empty(), TopicPath.parse("a/*").match(TopicPath.parse("a/b/c")));
    assertTrue(TopicPath.parse("a/b").match(TopicPath.parse("a/b")).isPresent());
  }

  @Test
  void childAppendsSegments() {
    assertEquals(TopicPath.parse("n:svc/sub/act"), TopicPath.parse("n:svc").child("sub/act"));
    assertThrows(IllegalArgumentException.class, () -> TopicPath.parse("a/>").child("b"));
  }
}
