package dev.runar;

import java.util.Iterator;

/**
 * A stream of messages read by blocking: what a blocking stub returns for a server-streaming rpc,
 * and what a direct-style server method reads a client stream from. Reading pulls: at most a small
 * window of messages is buffered, so a slow reader slows the producer, over the network too.
 *
 * <p>{@link #hasNext()} blocks until a message or the end arrives; {@link #next()} throws the
 * call's {@link StatusException} when it failed. {@link #close()} before the end cancels the call.
 * Not thread-safe: one reader.
 *
 * @param <T> the message type
 */
public interface BlockingStream<T> extends Iterator<T>, AutoCloseable {
  /** Stops reading; cancels the call if it has not ended. Idempotent. */
  @Override
  void close();
}
