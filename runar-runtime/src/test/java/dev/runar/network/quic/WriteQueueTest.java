package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When queued operations run: at once on the event loop, at a lane read's end, or in a task. */
@Timeout(30)
class WriteQueueTest {
  private final EventLoop loop = new DefaultEventLoop();
  private final WriteQueue queue = new WriteQueue(loop);
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private WriteQueue.Op op(String name) {
    return batch -> ran.add(name);
  }

  private void onLoop(Runnable task) throws Exception {
    loop.submit(task).get(10, TimeUnit.SECONDS);
  }

  @Test
  void onTheEventLoopAnOpRunsAtOnce() throws Exception {
    onLoop(
        () -> {
          queue.enqueue(op("a"));
          ran.add("after a");
        });
    assertEquals(List.of("a", "after a"), ran);
  }

  @Test
  void opsQueuedDuringALaneReadRunTogetherWhenItEnds() throws Exception {
    onLoop(
        () -> {
          queue.holdForRead();
          queue.enqueue(op("reply 1"));
          queue.enqueue(op("reply 2"));
          ran.add("read ending");
          queue.readEnded();
          ran.add("read ended");
          queue.enqueue(op("later"));
        });
    assertEquals(List.of("read ending", "reply 1", "reply 2", "read ended", "later"), ran);
  }

  @Test
  void anOpQueuedByAnotherOpDuringTheDrainRunsInTheSameDrain() throws Exception {
    onLoop(
        () -> {
          queue.holdForRead();
          queue.enqueue(
              batch -> {
                ran.add("first");
                queue.enqueue(op("queued by first"));
              });
          queue.readEnded();
          ran.add("read ended");
        });
    assertEquals(List.of("first", "queued by first", "read ended"), ran);
  }

  @Test
  void opsFromOtherThreadsRunOnTheLoopInOrder() throws Exception {
    for (int i = 0; i < 100; i++) {
      queue.enqueue(op("op " + i));
    }
    onLoop(() -> {}); // runs after the drain the first enqueue scheduled
    assertEquals(100, ran.size());
    for (int i = 0; i < 100; i++) {
      assertEquals("op " + i, ran.get(i));
    }
  }
}
