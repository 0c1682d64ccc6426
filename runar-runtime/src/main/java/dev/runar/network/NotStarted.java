package dev.runar.network;

/**
 * Marks a failed call that no handler saw (refused by a stopping callee, never sent, or sent over a
 * connection that closed before the callee read it): the cause of its status, so the caller may
 * safely send it to another provider, as gRPC's transparent retry does. On the wire it is {@code
 * Response.not_started}. Never thrown; immutable.
 */
public final class NotStarted extends Exception {
  private static final long serialVersionUID = 1L;

  /** The one marker. */
  public static final NotStarted INSTANCE = new NotStarted();

  private NotStarted() {
    super("refused before it started", null, false, false);
  }

  /** Whether {@code cause} (a status's cause) is the marker. */
  public static boolean is(Throwable cause) {
    return cause instanceof NotStarted;
  }
}
