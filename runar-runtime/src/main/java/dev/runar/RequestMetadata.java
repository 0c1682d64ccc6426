package dev.runar;

import dev.runar.wire.BinaryMetadataEntry;
import dev.runar.wire.MetadataEntry;
import dev.runar.wire.Request;

/**
 * A request's metadata in its wire form ({@code Request.metadata} and {@code binary_metadata}, the
 * entries of two maps), read and written. Stateless.
 */
final class RequestMetadata {
  private RequestMetadata() {}

  /**
   * The metadata {@code request} carries; a key given twice keeps its last value, as a map's.
   *
   * @throws IllegalArgumentException for an entry {@link Metadata.Builder} refuses (an empty key,
   *     binary metadata under a key without the {@value Metadata#BINARY_SUFFIX} suffix)
   */
  static Metadata read(Request request) {
    if (request.getMetadataCount() == 0 && request.getBinaryMetadataCount() == 0) {
      return Metadata.EMPTY; // most calls carry none
    }
    Metadata.Builder metadata = Metadata.builder();
    for (MetadataEntry entry : request.getMetadataList()) {
      metadata.put(entry.getKey(), entry.getValue());
    }
    for (BinaryMetadataEntry entry : request.getBinaryMetadataList()) {
      metadata.putBinary(entry.getKey(), entry.getValue());
    }
    return metadata.build();
  }

  /** Adds {@code metadata}'s entries to {@code header}. */
  static Request.Builder write(Request.Builder header, Metadata metadata) {
    metadata
        .strings()
        .forEach(
            (key, value) ->
                header.addMetadata(MetadataEntry.newBuilder().setKey(key).setValue(value)));
    metadata
        .binaries()
        .forEach(
            (key, value) ->
                header.addBinaryMetadata(
                    BinaryMetadataEntry.newBuilder().setKey(key).setValue(value)));
    return header;
  }
}
