package dev.runar.benchmarks;

import com.google.protobuf.ByteString;
import dev.runar.benchmarks.proto.Payload;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Measures one echo client: sequential latency (p50, p99, from an HdrHistogram) after a warm-up,
 * throughput with a fixed number of calls in flight for a fixed time, and CPU time per call with
 * calls started at a fixed rate. Threading: one measurement at a time, from one thread.
 */
final class UnaryBenchmark {
  /** Calls in flight at most while paced: a system that needs more falls short of the rate. */
  private static final int PACED_WINDOW = 64;

  /** How long the pacing thread sleeps when no call is due yet. */
  private static final long PACING_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  private final Settings settings;

  UnaryBenchmark(Settings settings) {
    this.settings = settings;
  }

  List<Integer> settingsInFlight() {
    return settings.inFlight();
  }

  List<Integer> pacedRates() {
    return settings.pacedRates();
  }

  static Payload payload(int size) {
    return Payload.newBuilder().setData(ByteString.copyFrom(new byte[size])).build();
  }

  /**
   * Sequential calls: latency in microseconds, after a warm-up of {@link Settings#warmupCalls}
   * calls and {@link Settings#latencyWarmup} at least. This is a client's first measurement in its
   * JVM, and on two cores a JIT compiler still busy with its code takes the CPU its calls wait for:
   * measured after 20,000 calls alone (3–4 s), every system's p50 was 13–51% above its p50 some
   * seconds later, Runar's most (docs/performance.md).
   */
  Histogram latency(EchoClient client, Payload payload) throws Exception {
    long warm = System.nanoTime() + settings.latencyWarmup().toNanos();
    for (long i = 0; i < settings.warmupCalls() || System.nanoTime() - warm < 0; i++) {
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
    Window window = new Window(inFlight);
    long start = System.nanoTime();
    long end = start + time.toNanos();
    while (System.nanoTime() < end && !window.failed()) {
      window.start(client, payload);
    }
    window.awaitAll();
    return window.completed() / ((System.nanoTime() - start) / 1e9);
  }

  /** The name of {@link #cpuPerCall}'s metric at {@code rate} calls per second. */
  static String cpuMetric(int rate) {
    return "CPU per call at " + rate + "/s";
  }

  /**
   * CPU time per call, in microseconds, with calls started at {@code rate} per second for the
   * throughput window; empty if fewer than 95% of them could be started (the system cannot take
   * that rate). Every thread of the process counts, the client's and the server's, so each system
   * must run in a JVM of its own for the figure to be its own. Unlike throughput at saturation,
   * which moves with how the threads of two busy cores happen to be scheduled, this moves little
   * from run to run.
   */
  OptionalDouble cpuPerCall(EchoClient client, Payload payload, int rate) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    paced(client, payload, rate, settings.throughputWarmup());
    long cpu = os.getProcessCpuTime();
    Duration time = settings.throughputTime();
    long calls = paced(client, payload, rate, time);
    double cpuMicros = (os.getProcessCpuTime() - cpu) / 1_000.0;
    boolean sustained = calls >= 0.95 * rate * time.toNanos() / TimeUnit.SECONDS.toNanos(1);
    return sustained ? OptionalDouble.of(cpuMicros / calls) : OptionalDouble.empty();
  }

  /** Starts {@code rate} calls per second for {@code time}; returns how many, all completed. */
  private static long paced(EchoClient client, Payload payload, int rate, Duration time)
      throws Exception {
    Window window = new Window(PACED_WINDOW);
    long start = System.nanoTime();
    long started = 0;
    // One call per turn, so that a system that falls behind never catches up after the time.
    for (long elapsed = 0; elapsed < time.toNanos(); elapsed = System.nanoTime() - start) {
      if (started >= elapsed * rate / TimeUnit.SECONDS.toNanos(1)) {
        LockSupport.parkNanos(PACING_NANOS);
      } else {
        window.start(client, payload);
        started++;
      }
    }
    window.awaitAll();
    return started;
  }

  /** Calls in flight, at most a fixed number of them, and the first that failed. */
  private static final class Window {
    private final int size;
    private final Semaphore permits;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Window(int size) {
      this.size = size;
      this.permits = new Semaphore(size);
    }

    /** Starts a call once fewer than {@code size} are in flight. */
    void start(EchoClient client, Payload payload) throws InterruptedException {
      if (!permits.tryAcquire(10, TimeUnit.SECONDS)) {
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
                permits.release();
              });
    }

    boolean failed() {
      return failure.get() != null;
    }

    long completed() {
      return completed.get();
    }

    /** Waits for every call started to end; throws if one failed. */
    void awaitAll() throws InterruptedException {
      if (!permits.tryAcquire(size, 30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("calls still in flight after 30 s");
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a call failed", failure.get());
      }
    }
  }

  private static void check(Payload reply, Payload request) {
    if (reply.getData().size() != request.getData().size()) {
      throw new IllegalStateException("echo of the wrong size");
    }
  }
}
