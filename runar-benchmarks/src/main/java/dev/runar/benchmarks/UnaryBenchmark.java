package dev.runar.benchmarks;

import com.google.protobuf.ByteString;
import dev.runar.benchmarks.proto.Payload;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Measures one echo client: sequential latency (p50, p99, from an HdrHistogram) after a warm-up,
 * then throughput with a fixed number of calls in flight for a fixed time.
 */
final class UnaryBenchmark {
  private final Settings settings;

  UnaryBenchmark(Settings settings) {
    this.settings = settings;
  }

  List<Integer> settingsInFlight() {
    return settings.inFlight();
  }

  static Payload payload(int size) {
    return Payload.newBuilder().setData(ByteString.copyFrom(new byte[size])).build();
  }

  /** Sequential calls: latency in microseconds. */
  Histogram latency(EchoClient client, Payload payload) throws Exception {
    for (int i = 0; i < settings.warmupCalls(); i++) {
      client.call(payload).get(10, TimeUnit.SECONDS);
    }
    Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    for (int i = 0; i < settings.latencyCalls(); i++) {
      long start = System.nanoTime();
      Payload reply = client.call(payload).get(10, TimeUnit.SECONDS);
      histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
      check(reply, payload);
    }
    return histogram;
  }

  /** Calls per second with {@code inFlight} calls outstanding at all times. */
  double throughput(EchoClient client, Payload payload, int inFlight) throws Exception {
    run(client, payload, inFlight, settings.throughputWarmup());
    return run(client, payload, inFlight, settings.throughputTime());
  }

  private static double run(EchoClient client, Payload payload, int inFlight, Duration time)
      throws Exception {
    Semaphore window = new Semaphore(inFlight);
    AtomicLong completed = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime();
    long end = start + time.toNanos();
    while (System.nanoTime() < end && failure.get() == null) {
      if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no call completed within 10 s");
      }
      client
          .call(payload)
          .whenComplete(
              (reply, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                } else {
                  completed.incrementAndGet();
                }
                window.release();
              });
    }
    if (!window.tryAcquire(inFlight, 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("calls still in flight after 30 s");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a call failed", failure.get());
    }
    return completed.get() / ((System.nanoTime() - start) / 1e9);
  }

  private static void check(Payload reply, Payload request) {
    if (reply.getData().size() != request.getData().size()) {
      throw new IllegalStateException("echo of the wrong size");
    }
  }
}
