package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.network.WireStatus;
import dev.runar.wire.Response;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Outlier detection's bookkeeping: only failures in a row set a provider aside. */
final class ProviderHealthTest {
  private final ProviderHealth health =
      new ProviderHealth(OutlierDetection.of(3, Duration.ofSeconds(30)));

  private void fail(String id) {
    health.ended(
        health.started(id), null, Status.UNAVAILABLE.withDescription("down").asException(), false);
  }

  private void succeed(String id) {
    health.ended(health.started(id), Response.getDefaultInstance(), null, false);
  }

  @Test
  void aSuccessBetweenFailuresStartsTheCountAgain() {
    fail("p");
    fail("p");
    succeed("p");
    fail("p");
    fail("p");
    assertFalse(health.provider("p").isEjected(), "two failures in a row, not three");
    fail("p");
    assertTrue(health.provider("p").isEjected(), "three failures in a row");
    assertEquals(0, health.provider("p").outstanding());
  }

  @Test
  void successesAloneNeverSetAProviderAside() {
    for (int i = 0; i < 1_000; i++) {
      succeed("q");
    }
    fail("q");
    fail("q");
    assertFalse(health.provider("q").isEjected());
  }

  @Test
  void callsRefusedUnstartedOrAbandonedSayNothingOfHealth() {
    fail("r");
    fail("r");
    health.ended(health.started("r"), null, new CancellationException(), true);
    health.ended(
        health.started("r"),
        null,
        WireStatus.notStarted(Status.UNAVAILABLE.withDescription("stopping")).asException(),
        false);
    assertFalse(health.provider("r").isEjected());
    fail("r");
    assertTrue(health.provider("r").isEjected(), "the count went on across them");
  }
}
