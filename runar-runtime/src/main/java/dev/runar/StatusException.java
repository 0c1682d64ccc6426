package dev.runar;

/**
 * The one exception a Runar call fails with, local or remote: it carries the {@link Status} the
 * call ended with. Generated blocking stubs throw it; futures complete exceptionally with it.
 */
public final class StatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;

  public StatusException(Status status) {
    super(message(status), status.cause());
    this.status = status;
  }

  /** The status the call ended with. */
  public Status status() {
    return status;
  }

  /** Shorthand for {@code status().code()}. */
  public Status.Code code() {
    return status.code();
  }

  private static String message(Status status) {
    return status.description() == null
        ? status.code().name()
        : status.code().name() + ": " + status.description();
  }
}
