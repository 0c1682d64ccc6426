package dev.runar;

import java.util.Optional;

/** The node's limit on the metadata of one call or event ({@link NodeConfig#maxMetadataSize()}). */
final class MetadataLimit {
  private MetadataLimit() {}

  /**
   * RESOURCE_EXHAUSTED naming {@code what} when {@code size} bytes exceed {@code limit}.
   *
   * @param what e.g. "the request metadata of math/add"
   */
  static Optional<Status> check(String what, int size, int limit) {
    if (size <= limit) {
      return Optional.empty();
    }
    return Optional.of(
        Status.RESOURCE_EXHAUSTED.withDescription(
            what
                + (what.endsWith("s") ? " are " : " is ")
                + size
                + " bytes, over the limit of "
                + limit
                + " (NodeConfig.maxMetadataSize)"));
  }
}
