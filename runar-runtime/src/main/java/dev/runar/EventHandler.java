package dev.runar;

/**
 * Receives the events of one subscription, one at a time and in publish order, on the node's
 * service executor. An exception it throws is logged and does not end the subscription.
 */
@FunctionalInterface
public interface EventHandler {
  void onEvent(Event event) throws Exception;
}
