package dev.runar;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread pool that starts a new thread (up to a maximum) whenever every thread it has is busy,
 * and queues only once that maximum is reached; idle threads above the core size die after a
 * minute.
 *
 * <p>Why not a plain fixed pool: a handler that makes a blocking call to another node holds its
 * thread until the reply comes, and that reply may itself need a handler on this node (A calls B,
 * whose handler calls A). With a fixed pool of four threads, four such handlers starve every other
 * call until their deadlines pass. Growing first and queueing last keeps nested blocking calls
 * working at any concurrency up to the maximum, while memory stays bounded by the maximum and the
 * queue's capacity. A {@code ThreadPoolExecutor} alone does the opposite (queues first, grows only
 * when the queue is full), so the queue here refuses tasks while the pool may still grow, as
 * Tomcat's task queue does.
 *
 * <p>Thread-safe.
 */
final class ElasticThreadPool extends ThreadPoolExecutor {
  private final AtomicInteger submitted = new AtomicInteger();

  private ElasticThreadPool(int core, int max, GrowFirstQueue queue, String nameFormat) {
    super(
        core,
        max,
        60,
        TimeUnit.SECONDS,
        queue,
        new ThreadFactoryBuilder().setNameFormat(nameFormat).setDaemon(true).build(),
        (task, pool) -> {
          if (pool.isShutdown()) {
            // Queued now, it would never run: whoever submitted it must hear so (and run it
            // inline, or fail its call).
            throw new RejectedExecutionException("the pool is shut down");
          }
          // The queue said "grow", but another thread took the last free slot meanwhile.
          if (!queue.queue(task)) {
            throw new RejectedExecutionException("all threads busy and the queue is full");
          }
        });
    queue.pool = this;
    allowCoreThreadTimeOut(true);
  }

  /**
   * A pool of {@code core} to {@code max} threads named by {@code nameFormat} (with one {@code
   * %d}), queueing up to {@code queueCapacity} tasks once all {@code max} are busy.
   */
  static ElasticThreadPool create(int core, int max, int queueCapacity, String nameFormat) {
    return new ElasticThreadPool(core, max, new GrowFirstQueue(queueCapacity), nameFormat);
  }

  @Override
  public void execute(Runnable command) {
    submitted.incrementAndGet();
    try {
      super.execute(command);
    } catch (RejectedExecutionException e) {
      submitted.decrementAndGet();
      throw e;
    }
  }

  @Override
  protected void afterExecute(Runnable r, Throwable t) {
    submitted.decrementAndGet();
  }

  /** A queue that refuses a task while the pool has no idle thread and may still grow. */
  private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;
    private transient ElasticThreadPool pool;

    GrowFirstQueue(int capacity) {
      super(capacity);
    }

    @Override
    public boolean offer(Runnable task) {
      int threads = pool.getPoolSize();
      if (pool.submitted.get() > threads && threads < pool.getMaximumPoolSize()) {
        return false; // every thread is busy: make the pool start another one
      }
      return super.offer(task);
    }

    boolean queue(Runnable task) {
      return super.offer(task);
    }
  }
}
