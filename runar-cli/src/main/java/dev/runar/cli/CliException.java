package dev.runar.cli;

import dev.runar.Status;

/**
 * Ends a command with a message for its user on standard error and an exit code: {@value
 * #CANNOT_RUN} when the command could not do its work (a certificate it cannot read, say), or
 * {@value #STATUS_BASE} plus the status code when a call or a lookup failed with a Runar status (as
 * grpcurl does: NOT_FOUND exits with 69, DEADLINE_EXCEEDED with 68).
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The command could not do its work. */
  static final int CANNOT_RUN = 1;

  /** Exit code of a failed call: this plus the status code. */
  static final int STATUS_BASE = 64;

  private final int exitCode;

  private CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** A failure to run, with what went wrong and what to do about it. */
  static CliException cannotRun(String message) {
    return new CliException(message, CANNOT_RUN);
  }

  /** A failure with a Runar status: {@code CODE: description}, exit code 64 + code. */
  static CliException status(Status status) {
    String description = status.description();
    return new CliException(
        status.code() + (description == null || description.isEmpty() ? "" : ": " + description),
        STATUS_BASE + status.code().value());
  }

  /** {@code code} with {@code description}. */
  static CliException status(Status.Code code, String description) {
    return status(code.toStatus().withDescription(description));
  }

  int exitCode() {
    return exitCode;
  }
}
