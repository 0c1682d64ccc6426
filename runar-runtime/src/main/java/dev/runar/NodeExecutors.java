package dev.runar;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The threads of one node: where handlers and subscribers run ({@link #handlers()}), where replies
 * and stream messages from peers are delivered ({@link #callbacks()}), and the node's timer. In
 * direct mode handlers and callbacks run on the calling thread. Shuts down only what it created
 * (never an executor the user supplied). Thread-safe.
 */
final class NodeExecutors {
  private final Executor handlers;
  private final Executor callbacks;
  private final ScheduledThreadPoolExecutor timer;
  private final List<ExecutorService> owned = new ArrayList<>();

  NodeExecutors(NodeConfig config) {
    String prefix = "runar-" + shortId(config.nodeId());
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            new ThreadFactoryBuilder().setNameFormat(prefix + "-timer-%d").setDaemon(true).build());
    timer.setRemoveOnCancelPolicy(true);
    owned.add(timer);
    if (config.directExecution()) {
      this.handlers = MoreExecutors.directExecutor();
      this.callbacks = MoreExecutors.directExecutor();
      return;
    }
    Optional<Executor> supplied = config.executor();
    if (supplied.isPresent()) {
      this.handlers = supplied.get();
    } else {
      int max = config.maxHandlerThreads();
      int core = Math.min(max, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
      this.handlers = own(ElasticThreadPool.create(core, max, 10_000, prefix + "-worker-%d"));
    }
    this.callbacks = own(ElasticThreadPool.create(2, 256, 100_000, prefix + "-callback-%d"));
  }

  /** Handlers and subscribers (see {@link NodeConfig.Builder#executor}). */
  Executor handlers() {
    return handlers;
  }

  /**
   * Replies, stream messages and call endings from peers: a pool of its own, so that handlers
   * blocked on calls to other nodes never hold up the replies they wait for.
   */
  Executor callbacks() {
    return callbacks;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /** Stops the threads this node created. */
  void shutdown() {
    owned.forEach(ExecutorService::shutdownNow);
  }

  private <E extends ExecutorService> E own(E executor) {
    owned.add(executor);
    return executor;
  }

  private static String shortId(String id) {
    return id.length() <= 8 ? id : id.substring(0, 8);
  }
}
