package dev.runar.network.quic;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the call completions that one read of a UDP socket produces together, when that read (a
 * burst of datagrams, one {@code recvmmsg} or several) has ended, instead of one by one between its
 * packets. This matters where completions run on the event loop ({@link #EXECUTOR}, a node in
 * direct mode): a completion may wake an application thread (a caller blocked on the reply, a
 * semaphore of calls in flight). Woken per reply, that thread preempts the event loop for every
 * call (on two cores, a context switch each); woken once for the burst, it finds every reply ready.
 * A TCP transport gets this for free: one read of the socket is many replies.
 *
 * <p>The handler sits in front of the QUIC codec on each socket, so the burst's completions run
 * before the codec sends what the read calls for: requests the completions make leave in the same
 * packets as the burst's acknowledgements.
 *
 * <p>Threading: the event loop. A burst belongs to the thread reading it; on any other thread, and
 * on the loop outside a read, {@link #EXECUTOR} runs a task at once.
 */
@ChannelHandler.Sharable
final class ReadBursts extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ReadBursts.class);

  /** The handler for a socket's pipeline, in front of its QUIC codec. */
  static final ReadBursts HANDLER = new ReadBursts();

  /**
   * Runs a task on the calling thread: at the end of the read burst under way there, or now. The
   * direct executor for completions, with the bursts of this class.
   */
  static final Executor EXECUTOR = ReadBursts::runAtEnd;

  private static final ThreadLocal<Burst> BURST = ThreadLocal.withInitial(Burst::new);

  private ReadBursts() {}

  /** What one event loop thread is reading, and the completions waiting for the read's end. */
  private static final class Burst {
    boolean reading;
    final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  }

  private static void runAtEnd(Runnable task) {
    Burst burst = BURST.get();
    if (burst.reading) {
      burst.waiting.add(task);
    } else {
      task.run();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    BURST.get().reading = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Burst burst = BURST.get();
    burst.reading = false;
    Runnable task;
    while ((task = burst.waiting.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        // As an executor would: one failing callback must not keep the others from running.
        log.warn("a call's callback failed", e);
      }
    }
    ctx.fireChannelReadComplete();
  }
}
