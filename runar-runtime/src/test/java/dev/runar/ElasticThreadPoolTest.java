package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node's pools grow before they queue, queue up to their bound, and refuse once shut down. */
@Timeout(30)
class ElasticThreadPoolTest {
  @Test
  void blockedTasksDoNotHoldUpLaterOnesWhileThePoolMayGrow() throws Exception {
    ElasticThreadPool pool = ElasticThreadPool.create(1, 8, 10, "elastic-test-%d");
    try {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(8);
      for (int i = 0; i < 8; i++) {
        pool.execute(
            () -> {
              started.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      // Eight blocked tasks on a pool of one core thread: all eight run at once.
      assertTrue(started.await(5, TimeUnit.SECONDS), "the pool queued instead of growing");
      assertEquals(8, pool.getPoolSize());
      release.countDown();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void beyondItsThreadsAndQueueAndAfterShutdownItRefuses() throws Exception {
    ElasticThreadPool pool = ElasticThreadPool.create(1, 2, 2, "elastic-test-%d");
    CountDownLatch release = new CountDownLatch(1);
    Runnable blocked =
        () -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    for (int i = 0; i < 4; i++) {
      pool.execute(blocked); // two threads, two queued
    }
    assertThrows(RejectedExecutionException.class, () -> pool.execute(blocked));
    release.countDown();
    pool.shutdownNow();
    assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> {}));
  }
}
