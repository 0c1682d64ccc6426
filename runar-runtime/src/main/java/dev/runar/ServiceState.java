package dev.runar;

/** Where a service is in its lifecycle, as reported by {@code $registry}. */
public enum ServiceState {
  /** Added and initialised; its actions answer UNAVAILABLE until the node starts it. */
  INITIALIZED,
  /** Serving calls. */
  RUNNING,
  /** Removed or stopped; no longer serving. */
  STOPPED
}
