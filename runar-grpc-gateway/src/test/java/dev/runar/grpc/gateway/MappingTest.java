package dev.runar.grpc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MappingTest {
  @Test
  void theRunarDeadlineFallsSoonerThanTheClientsByTheHeadroom() {
    assertEquals(Duration.ofMillis(280), Mapping.timeout(Duration.ofMillis(300).toNanos()));
    assertEquals(
        Duration.ofSeconds(10).minus(Mapping.DEADLINE_HEADROOM), Mapping.timeout(10_000_000_000L));
  }

  @Test
  void aShortDeadlineLosesAtMostHalfOfItsTime() {
    assertEquals(Duration.ofMillis(15), Mapping.timeout(Duration.ofMillis(30).toNanos()));
    assertEquals(Duration.ofNanos(1), Mapping.timeout(1));
    assertEquals(Duration.ofNanos(1), Mapping.timeout(0));
    assertEquals(Duration.ofNanos(1), Mapping.timeout(-5));
  }
}
