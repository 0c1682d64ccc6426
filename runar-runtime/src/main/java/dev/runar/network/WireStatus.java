package dev.runar.network;

import dev.runar.Status;
import dev.runar.wire.Response;

/** Converts between {@link Status} and its wire form in a {@link Response}. */
public final class WireStatus {
  private WireStatus() {}

  /** A response carrying the failed {@code status} (its local cause stays behind). */
  public static Response toResponse(Status status) {
    Response.Builder response = Response.newBuilder().setStatusCode(status.code().value());
    if (status.description() != null) {
      response.setStatusMessage(status.description());
    }
    return response.build();
  }

  /** The status a response carries. */
  public static Status fromResponse(Response response) {
    Status status = Status.fromCodeValue(response.getStatusCode());
    return response.getStatusMessage().isEmpty() ? status : status.withDescription(response.getStatusMessage());
  }
}
