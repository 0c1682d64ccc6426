package dev.runar.network;

import dev.runar.wire.Response;

/**
 * A unary call's reply on its way to the caller: the {@link Response} without its payload, and the
 * payload, which the transport writes into the response's payload field as it sends it (see {@link
 * Payload}).
 *
 * <p>Immutable; any thread.
 */
public final class Reply {
  private final Response header;
  private final Payload payload;

  private Reply(Response header, Payload payload) {
    this.header = header;
    this.payload = payload;
  }

  /**
   * {@code header} with {@code payload}.
   *
   * @throws IllegalArgumentException when {@code header} carries a payload of its own
   */
  public static Reply of(Response header, Payload payload) {
    if (!header.getPayload().isEmpty()) {
      throw new IllegalArgumentException("the header carries a payload: give it as the payload");
    }
    return new Reply(header, payload);
  }

  /** {@code response} as it is, payload included. */
  public static Reply of(Response response) {
    return response.getPayload().isEmpty()
        ? new Reply(response, Payload.EMPTY)
        : new Reply(response.toBuilder().clearPayload().build(), Payload.of(response.getPayload()));
  }

  /** The response without its payload. */
  public Response header() {
    return header;
  }

  /** The payload, written into the response's payload field. */
  public Payload payload() {
    return payload;
  }

  /** The whole response, payload included (a message payload serialized into a new array). */
  public Response toResponse() {
    return payload.size() == 0
        ? header
        : header.toBuilder().setPayload(payload.toByteString()).build();
  }
}
