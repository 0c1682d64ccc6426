package dev.runar.network;

import dev.runar.Status;
import dev.runar.wire.Response;
import java.util.Optional;

/**
 * Converts between {@link Status} and its wire form in a {@link Response}, including whether a
 * failed call never started (was refused before any handler saw it), which makes it safe to send to
 * another provider.
 */
public final class WireStatus {
  private WireStatus() {}

  /** RESOURCE_EXHAUSTED when {@code what} of {@code size} bytes is over {@code limit}. */
  public static Optional<Status> tooLarge(MessageLimit limit, String what, long size) {
    return limit.excess(what, size).map(Status.RESOURCE_EXHAUSTED::withDescription);
  }

  /** A response carrying the failed {@code status} (its local cause stays behind). */
  public static Response toResponse(Status status) {
    Response.Builder response = Response.newBuilder().setStatusCode(status.code().value());
    if (status.description() != null) {
      response.setStatusMessage(status.description());
    }
    if (isNotStarted(status)) {
      response.setNotStarted(true);
    }
    return response.addAllDetails(status.details()).build();
  }

  /** The status a response carries. */
  public static Status fromResponse(Response response) {
    if (response.getStatusCode() == 0
        && response.getStatusMessage().isEmpty()
        && response.getDetailsCount() == 0
        && !response.getNotStarted()) {
      return Status.OK; // a reply: the common case
    }
    Status status = Status.fromCodeValue(response.getStatusCode());
    status =
        response.getStatusMessage().isEmpty()
            ? status
            : status.withDescription(response.getStatusMessage());
    status = status.withDetails(response.getDetailsList());
    return response.getNotStarted() ? notStarted(status) : status;
  }

  /**
   * {@code status}, marked as the outcome of a call that was refused or never sent: no handler ran
   * it, so it may be retried elsewhere.
   */
  public static Status notStarted(Status status) {
    return status.withCause(NotStarted.INSTANCE);
  }

  /** Whether {@code status} is marked by {@link #notStarted}. */
  public static boolean isNotStarted(Status status) {
    return NotStarted.is(status.cause());
  }

  /** Whether a failure is a status marked by {@link #notStarted}. */
  public static boolean isNotStarted(Throwable failure) {
    return isNotStarted(Status.fromThrowable(failure));
  }
}
