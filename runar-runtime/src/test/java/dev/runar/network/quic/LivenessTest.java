package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A peer heard from stays alive; one silent for the timeout is declared dead, never sooner. */
@Timeout(30)
class LivenessTest {
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final EventLoop loop = new DefaultEventLoop();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void aPeerHeardFromStaysAliveAndIsDeclaredDeadOnlyAfterTheTimeoutOfSilence() throws Exception {
    Liveness liveness = new Liveness(INTERVAL, TIMEOUT);
    AtomicInteger pings = new AtomicInteger();
    CompletableFuture<Long> dead = new CompletableFuture<>();
    loop.execute(
        () ->
            liveness.start(
                loop,
                new Liveness.Peer() {
                  @Override
                  public void ping() {
                    pings.incrementAndGet();
                  }

                  @Override
                  public void dead(Duration silence) {
                    dead.complete(System.nanoTime());
                  }
                }));
    long end = System.nanoTime() + 2 * TIMEOUT.toNanos();
    long lastHeard = System.nanoTime();
    while (System.nanoTime() < end) {
      liveness.heard();
      lastHeard = System.nanoTime();
      assertTrue(liveness.silence().compareTo(TIMEOUT) < 0, "silence " + liveness.silence());
      Thread.sleep(20);
    }
    assertFalse(dead.isDone(), "declared dead while heard from");
    assertTrue(pings.get() > 0, "never pinged");

    long declared = dead.get(10, TimeUnit.SECONDS);
    long silent = declared - lastHeard;
    assertTrue(silent >= TIMEOUT.toNanos(), "declared dead after " + silent / 1_000_000 + " ms");
    assertTrue(liveness.silence().compareTo(TIMEOUT) >= 0, "silence " + liveness.silence());
  }
}
