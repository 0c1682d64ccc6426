package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Completions handed to {@link ReadBursts#EXECUTOR} wait for the end of the read under way. */
class ReadBurstsTest {
  private final List<String> log = new ArrayList<>();

  /** Stands for the QUIC codec: each packet read completes a call through the executor. */
  private final class Codec extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      log.add("read " + msg);
      ReadBursts.EXECUTOR.execute(
          () -> {
            if (msg.equals("poison")) {
              throw new IllegalStateException("a callback that throws");
            }
            log.add("completed " + msg);
          });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      log.add("read complete");
    }
  }

  @Test
  void outsideAReadATaskRunsAtOnce() {
    ReadBursts.EXECUTOR.execute(() -> log.add("ran"));
    assertEquals(List.of("ran"), log);
  }

  @Test
  void theCompletionsOfAReadRunInOrderWhenItEndsBeforeTheCodecSends() {
    EmbeddedChannel channel = new EmbeddedChannel(ReadBursts.HANDLER, new Codec());
    channel.pipeline().fireChannelRead("a").fireChannelRead("b");
    assertEquals(List.of("read a", "read b"), log);

    channel.pipeline().fireChannelReadComplete();
    assertEquals(List.of("read a", "read b", "completed a", "completed b", "read complete"), log);

    ReadBursts.EXECUTOR.execute(() -> log.add("after the read"));
    assertEquals("after the read", log.get(log.size() - 1));
    channel.finishAndReleaseAll();
  }

  @Test
  void aCallbackThatThrowsKeepsNoOtherFromRunning() {
    EmbeddedChannel channel = new EmbeddedChannel(ReadBursts.HANDLER, new Codec());
    channel.pipeline().fireChannelRead("a").fireChannelRead("poison").fireChannelRead("b");
    channel.pipeline().fireChannelReadComplete();
    assertEquals(
        List.of("read a", "read poison", "read b", "completed a", "completed b", "read complete"),
        log);
    channel.finishAndReleaseAll();
  }
}
