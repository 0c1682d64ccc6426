package dev.runar.network;

import java.util.Optional;

/**
 * The largest payload (request, reply, stream message or event) a transport carries, and the one
 * description of a payload over it, wherever it is checked (the failure is RESOURCE_EXHAUSTED with
 * that description). Immutable.
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
   * Why {@code what} of {@code size} bytes is refused, naming both, when it is over the limit;
   * empty when it fits.
   */
  public Optional<String> excess(String what, long size) {
    return size <= maxBytes
        ? Optional.empty()
        : Optional.of(what + " of " + size + " bytes exceeds the limit of " + maxBytes);
  }
}
