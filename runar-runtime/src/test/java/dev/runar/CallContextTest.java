package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import com.google.protobuf.StringValue;
import dev.runar.registry.TopicPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallContextTest {
  private static CallContext context() {
    return new CallContext(
        TopicPath.parse("test:svc/call"),
        ImmutableMap.of(),
        MethodDescriptor.unary(
            "svc", "call", StringValue.getDefaultInstance(), StringValue.getDefaultInstance()),
        Deadline.after(Duration.ofSeconds(10)),
        Metadata.EMPTY);
  }

  @Test
  void listenersRunOnceWithTheStatusAndNotAfterRemoval() {
    CallContext context = context();
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger removedRan = new AtomicInteger();
    context.addCancellationListener(s -> ran.incrementAndGet());
    context.addCancellationListener(s -> removedRan.incrementAndGet()).close();
    context.cancel(Status.CANCELLED);
    context.cancel(Status.DEADLINE_EXCEEDED);
    assertEquals(1, ran.get());
    assertEquals(0, removedRan.get());
    assertEquals(Status.Code.CANCELLED, context.cancellationStatus().orElseThrow().code());
    AtomicInteger late = new AtomicInteger();
    context.addCancellationListener(s -> late.incrementAndGet());
    assertEquals(1, late.get(), "added after the end: runs at once");
  }

  /** A listener added while the context is being cancelled runs exactly once, whoever wins. */
  @Test
  void aListenerRacingTheCancelRunsOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 2_000; round++) {
        CallContext context = context();
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> both = new ArrayList<>();
        both.add(
            pool.submit(
                () -> {
                  go.await();
                  context.addCancellationListener(s -> ran.incrementAndGet());
                  return null;
                }));
        both.add(
            pool.submit(
                () -> {
                  go.await();
                  context.cancel(Status.CANCELLED);
                  return null;
                }));
        go.countDown();
        for (Future<?> f : both) {
          f.get(10, TimeUnit.SECONDS);
        }
        assertTrue(context.isCancelled());
        assertEquals(1, ran.get(), "round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
