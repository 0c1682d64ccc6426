package dev.runar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallFutureTest {
  private final List<Throwable> told = Collections.synchronizedList(new ArrayList<>());
  private final List<String> toldValue = Collections.synchronizedList(new ArrayList<>());

  private CallFuture<String> future() {
    return new CallFuture<>(
        e -> {
          if (e == null) {
            toldValue.add("value");
          } else {
            told.add(e);
          }
        });
  }

  @Test
  void theCallsOwnOutcomeIsNotToldBack() {
    CallFuture<String> f = future();
    assertTrue(f.settle("reply"));
    assertFalse(f.settleExceptionally(new IllegalStateException()));
    assertFalse(f.cancel(false), "a settled call cannot be cancelled");
    assertEquals("reply", f.join());
    assertTrue(told.isEmpty());
    assertTrue(toldValue.isEmpty());
  }

  @Test
  void aCancelIsToldOnceAsACancellation() {
    CallFuture<String> f = future();
    assertTrue(f.cancel(false));
    assertTrue(f.cancel(false), "cancelled already: cancel reports true, as CompletableFuture's");
    assertTrue(f.isCancelled());
    assertFalse(f.settle("late"));
    assertEquals(1, told.size());
    assertInstanceOf(CancellationException.class, told.get(0));
  }

  @Test
  void completionsFromOutsideAreTold() {
    CallFuture<String> failed = future();
    IllegalStateException why = new IllegalStateException("deadline");
    assertTrue(failed.completeExceptionally(why));
    assertSame(why, told.get(0));

    CallFuture<String> completed = future();
    assertTrue(completed.complete("from the caller"));
    assertEquals(List.of("value"), toldValue);
    assertFalse(completed.complete("again"));
    assertEquals(1, toldValue.size());

    CallFuture<String> supplied = future();
    supplied.completeAsync(() -> "later", Runnable::run);
    assertEquals("later", supplied.join());
    assertEquals(2, toldValue.size(), "a value supplied later is told too");
  }

  @Test
  void racingCancelsTellOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 500; round++) {
        told.clear();
        CallFuture<String> f = future();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          racers.add(
              pool.submit(
                  () -> {
                    go.await();
                    return f.cancel(false);
                  }));
        }
        go.countDown();
        for (Future<?> r : racers) {
          r.get(10, TimeUnit.SECONDS);
        }
        assertEquals(1, told.size(), "round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
