package dev.runar.benchmarks;

import com.google.protobuf.ByteString;
import dev.runar.Node;
import dev.runar.benchmarks.proto.EchoTopics;
import dev.runar.benchmarks.proto.Tick;
import dev.runar.discovery.MemoryDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One publisher node, 1 or 4 subscriber nodes over QUIC: events per second in a burst, and the
 * delivery latency of single events (each published once every subscriber has the one before). The
 * burst's own latencies are kept too, but they measure its backlog, not delivery.
 */
final class EventsBenchmark {
  record Outcome(
      double eventsPerSecond, Histogram singleLatencyMicros, Histogram burstLatencyMicros) {}

  private enum Phase {
    PROBING,
    BURST,
    SINGLE
  }

  static Outcome run(int subscribers, int events, int payloadSize) throws Exception {
    MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
    String network = "events-" + UUID.randomUUID().toString().substring(0, 8);
    Node publisher =
        Node.create(RunarClients.networked("publisher", network, discovery, false).build()).start();
    List<Node> nodes = new ArrayList<>();
    nodes.add(publisher);
    try {
      Histogram burst = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
      Histogram single = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
      AtomicReference<Phase> phase = new AtomicReference<>(Phase.PROBING);
      CountDownLatch probes = new CountDownLatch(subscribers);
      CountDownLatch delivered = new CountDownLatch(subscribers * events);
      AtomicReference<CountDownLatch> pending = new AtomicReference<>();
      for (int i = 0; i < subscribers; i++) {
        Node node =
            Node.create(
                    RunarClients.networked("subscriber-" + i, network, discovery, false).build())
                .start();
        nodes.add(node);
        AtomicBoolean probed = new AtomicBoolean();
        node.subscribe(
            EchoTopics.TICK,
            tick -> {
              long micros = Math.max(1, (System.nanoTime() - tick.getSentNanos()) / 1_000);
              switch (phase.get()) {
                case PROBING -> {
                  if (probed.compareAndSet(false, true)) {
                    probes.countDown();
                  }
                }
                case BURST -> {
                  burst.recordValue(micros);
                  delivered.countDown();
                }
                case SINGLE -> {
                  single.recordValue(micros);
                  pending.get().countDown();
                }
              }
            });
      }
      // Subscriptions reach the publisher with capability updates: probe until all have one.
      while (!probes.await(20, TimeUnit.MILLISECONDS)) {
        publisher.publish(EchoTopics.TICK, Tick.getDefaultInstance());
      }
      Thread.sleep(100); // let stray probes drain
      phase.set(Phase.BURST);
      ByteString data = ByteString.copyFrom(new byte[payloadSize]);
      long start = System.nanoTime();
      for (int i = 0; i < events; i++) {
        publisher.publish(
            EchoTopics.TICK,
            Tick.newBuilder().setSentNanos(System.nanoTime()).setData(data).build());
      }
      if (!delivered.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("events lost: " + delivered.getCount() + " not delivered");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      phase.set(Phase.SINGLE);
      for (int i = 0; i < Math.max(10, events / 50); i++) {
        CountDownLatch all = new CountDownLatch(subscribers);
        pending.set(all);
        publisher.publish(
            EchoTopics.TICK,
            Tick.newBuilder().setSentNanos(System.nanoTime()).setData(data).build());
        if (!all.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a single event was not delivered within 10 s");
        }
      }
      return new Outcome(events / seconds, single, burst);
    } finally {
      nodes.forEach(Node::stop);
    }
  }
}
