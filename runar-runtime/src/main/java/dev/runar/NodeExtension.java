package dev.runar;

import java.util.List;

/**
 * One concern (metrics, tracing, auditing) plugged into a node with one line: {@code
 * NodeConfig.builder().extension(ext)}. Its interceptors run before the node's own, so they are the
 * outermost and see every call and event, including those another interceptor refuses; extensions
 * added first are outermost. The node calls {@link #onStart} as it starts, once it runs and before
 * its networking starts (so the extension hears of every peer), and {@link #onStop} once it has
 * stopped.
 *
 * <p>Threading: the interceptor lists are read once, when the {@link NodeConfig} is built; {@code
 * onStart} and {@code onStop} run on the thread starting or stopping the node. One extension may
 * serve several nodes: keep per-node state keyed by the node. An {@code onStart} or {@code onStop}
 * that throws is logged: observing never keeps a node from starting or stopping.
 */
public interface NodeExtension {
  /** Interceptors of every call the node makes; see {@link ClientInterceptor}. */
  default List<ClientInterceptor> clientInterceptors() {
    return List.of();
  }

  /** Interceptors of every call the node serves; see {@link ServerInterceptor}. */
  default List<ServerInterceptor> serverInterceptors() {
    return List.of();
  }

  /** Interceptors of every event the node publishes and delivers; see {@link EventInterceptor}. */
  default List<EventInterceptor> eventInterceptors() {
    return List.of();
  }

  /** As {@code node} starts, before it connects to peers: e.g. register gauges that read it. */
  default void onStart(Node node) {}

  /** After {@code node} stopped: e.g. remove what {@link #onStart} registered. */
  default void onStop(Node node) {}
}
