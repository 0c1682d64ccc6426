package dev.runar.network;

import dev.runar.Status;
import java.util.Optional;

/**
 * The largest payload (request, reply, stream message or event) a transport carries, and the one
 * status a payload over it fails with, wherever it is checked. Immutable.
 */
public final class MessageLimit {
  private final int maxBytes;

  public MessageLimit(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes <= 0");
    }
    this.maxBytes = maxBytes;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /**
   * RESOURCE_EXHAUSTED naming {@code what} and its {@code size} when it is over the limit; empty
   * when it fits.
   */
  public Optional<Status> check(String what, long size) {
    return size <= maxBytes
        ? Optional.empty()
        : Optional.of(
            Status.RESOURCE_EXHAUSTED.withDescription(
                what + " of " + size + " bytes exceeds the limit of " + maxBytes));
  }
}
