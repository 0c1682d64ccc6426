package dev.runar;

/**
 * Hooks a service may implement to take part in its node's lifecycle. {@link #init} runs when the
 * service is added; {@link #start} when the node starts (or at once, when added to a running node);
 * {@link #stop} when the service is removed or the node stops, services stopping in the reverse of
 * the order they started. A hook that throws is logged; a failing {@code init} aborts {@link
 * Node#addService}.
 */
public interface ServiceLifecycle {
  /** Called once, before the service's actions can be called. Subscribe to events here. */
  default void init(Node node) throws Exception {}

  /** Called when the service starts serving. */
  default void start() throws Exception {}

  /** Called when the service stops serving; calls already running may still finish. */
  default void stop() throws Exception {}
}
