package dev.runar;

import java.util.Optional;

/** The node's limit on the metadata of one call or event ({@link NodeConfig#maxMetadataSize()}). */
final class MetadataLimit {
  private MetadataLimit() {}

  /**
   * RESOURCE_EXHAUSTED when {@code size} bytes exceed {@code limit}, described as {@code what} (a
   * format with one {@code %s}, for {@code subject}, made only then), then the size and the limit.
   *
   * @param what e.g. {@code "the request metadata of %s is"}
   */
  static Optional<Status> check(String what, Object subject, int size, int limit) {
    if (size <= limit) {
      return Optional.empty();
    }
    return Optional.of(
        Status.RESOURCE_EXHAUSTED.withDescription(
            String.format(what, subject)
                + " "
                + size
                + " bytes, over the limit of "
                + limit
                + " (NodeConfig.maxMetadataSize)"));
  }
}
