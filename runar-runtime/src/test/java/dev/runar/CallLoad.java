package dev.runar;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.protobuf.StringValue;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Keeps {@code inFlight} unary calls to one path running until closed, each with its own deadline,
 * and records every outcome: successes, failures by code, the ids of failed calls (the request is
 * the call's id), and the longest time any call took (a call that outlives its deadline by much has
 * hung). A call that fails fast is re-issued after a short pause so that a missing route does not
 * spin the CPU.
 */
final class CallLoad implements AutoCloseable {
  private final Node client;
  private final String path;
  private final int inFlight;
  private final Duration deadline;
  private final ScheduledExecutorService pacer =
      Executors.newSingleThreadScheduledExecutor(
          new ThreadFactoryBuilder().setNameFormat("call-load").setDaemon(true).build());
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong successes = new AtomicLong();
  private final AtomicInteger running = new AtomicInteger();
  private final LongAccumulator longestNanos = new LongAccumulator(Math::max, 0);
  private final Map<Status.Code, AtomicLong> failures = new ConcurrentHashMap<>();
  private final Set<String> failedIds = ConcurrentHashMap.newKeySet();
  private final Queue<String> samples = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean stopping;

  CallLoad(Node client, String path, int inFlight, Duration deadline) {
    this.client = client;
    this.path = path;
    this.inFlight = inFlight;
    this.deadline = deadline;
  }

  CallLoad start() {
    for (int i = 0; i < inFlight; i++) {
      running.incrementAndGet();
      pacer.execute(this::next);
    }
    return this;
  }

  private void next() {
    if (stopping) {
      if (running.decrementAndGet() == 0) {
        drained.complete(null);
      }
      return;
    }
    String id = Long.toString(ids.incrementAndGet());
    long start = System.nanoTime();
    CompletableFuture<?> call;
    try {
      call = client.request(path, StringValue.of(id), CallOptions.DEFAULT.withTimeout(deadline));
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (reply, error) -> {
          long took = System.nanoTime() - start;
          longestNanos.accumulate(took);
          if (error == null) {
            successes.incrementAndGet();
            pacer.execute(this::next);
          } else {
            Status status = Status.fromThrowable(error);
            if (failures.computeIfAbsent(status.code(), c -> new AtomicLong()).incrementAndGet()
                <= 3) {
              samples.add(status.toString());
            }
            failedIds.add(id);
            pacer.schedule(this::next, 5, TimeUnit.MILLISECONDS);
          }
        });
  }

  long successes() {
    return successes.get();
  }

  long failures() {
    return failures.values().stream().mapToLong(AtomicLong::get).sum();
  }

  Map<Status.Code, AtomicLong> failuresByCode() {
    return failures;
  }

  Set<String> failedIds() {
    return failedIds;
  }

  /** The longest any call has taken so far. */
  Duration longest() {
    return Duration.ofNanos(longestNanos.get());
  }

  /**
   * Waits until at least one more call than {@code before} has succeeded, up to {@code timeout};
   * returns how long that took, or null when it did not happen.
   */
  Duration awaitSuccessAfter(long before, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + timeout.toNanos();
    while (successes.get() <= before) {
      if (System.nanoTime() > end) {
        return null;
      }
      Thread.sleep(1);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Stops issuing calls and waits for those in flight; returns whether every call ended within its
   * deadline plus {@code slack} (none hung).
   */
  boolean stop(Duration slack) throws InterruptedException {
    stopping = true;
    try {
      drained.get(deadline.plus(slack).toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    } finally {
      pacer.shutdownNow();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (!stopping) {
      stop(Duration.ofSeconds(1));
    }
  }

  @Override
  public String toString() {
    return "CallLoad["
        + successes
        + " succeeded, failures "
        + failures
        + " "
        + samples
        + ", longest "
        + longest().toMillis()
        + " ms]";
  }
}
