package dev.runar;

/**
 * A live subscription. {@link #unsubscribe()} (or {@link #close()}) stops delivery: events not yet
 * handed to the handler are dropped. Idempotent.
 */
public interface Subscription extends AutoCloseable {
  /** The pattern subscribed to, e.g. {@code default:sensors/>}. */
  String pattern();

  void unsubscribe();

  boolean isActive();

  @Override
  default void close() {
    unsubscribe();
  }
}
