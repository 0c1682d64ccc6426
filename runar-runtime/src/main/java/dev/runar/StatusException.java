package dev.runar;

import java.util.Objects;

/**
 * The one exception a Runar call fails with, local or remote: it carries the {@link Status} the
 * call ended with (with its details) and the call's trailers. Generated blocking stubs throw it;
 * futures complete exceptionally with it. Thread-safe (immutable).
 */
public final class StatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final transient Metadata trailers;

  public StatusException(Status status) {
    this(status, Metadata.EMPTY);
  }

  /** An exception whose caller also receives {@code trailers}. */
  public StatusException(Status status, Metadata trailers) {
    super(message(status), status.cause());
    this.status = status;
    this.trailers = Objects.requireNonNull(trailers, "trailers");
  }

  /**
   * The trailers the call ended with: thrown by a handler, they reach its caller, local or remote
   * (merged with any the handler's call added through {@link CallContext#responseTrailers()}).
   */
  public Metadata trailers() {
    return trailers;
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
