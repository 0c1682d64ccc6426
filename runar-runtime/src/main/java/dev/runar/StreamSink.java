package dev.runar;

/**
 * Where a direct-style server method writes its stream of responses. {@link #send} blocks until the
 * consumer (local or across the network) wants another message: the producer can never run ahead of
 * its consumer by more than the consumer asked for.
 *
 * @param <T> the message type
 */
public interface StreamSink<T> {
  /**
   * Sends one message, waiting for demand.
   *
   * @throws StatusException CANCELLED (or the call's status) when the call ended: stop producing
   */
  void send(T message);

  /** True once the consumer cancelled or the call ended. */
  boolean isCancelled();
}
