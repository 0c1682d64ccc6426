package dev.runar;

/**
 * How a subscription behaves. Immutable; {@link #DEFAULT} delivers only events published after
 * subscribing.
 */
public final class SubscribeOptions {
  public static final SubscribeOptions DEFAULT = new SubscribeOptions(false);

  private final boolean includePast;

  private SubscribeOptions(boolean includePast) {
    this.includePast = includePast;
  }

  /**
   * A copy that, when {@code true}, first delivers the last event retained on each topic the
   * pattern matches (Runar's {@code include_past}), then every new one.
   */
  public SubscribeOptions withIncludePast(boolean includePast) {
    return new SubscribeOptions(includePast);
  }

  public boolean includePast() {
    return includePast;
  }
}
