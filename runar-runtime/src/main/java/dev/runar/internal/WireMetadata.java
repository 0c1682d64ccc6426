package dev.runar.internal;

import com.google.common.collect.ImmutableList;
import dev.runar.Metadata;
import dev.runar.wire.BinaryMetadataEntry;
import dev.runar.wire.MetadataEntry;
import java.util.List;

/**
 * Metadata in its wire form: the text and binary entries of a request's metadata, an event's, and a
 * response's headers and trailers ({@code MetadataEntry}, {@code BinaryMetadataEntry}), read and
 * written. Stateless; any thread.
 */
public final class WireMetadata {
  private WireMetadata() {}

  /**
   * The metadata these entries carry; a key given twice keeps its last value, as a map's.
   *
   * @throws IllegalArgumentException for an entry {@link Metadata.Builder} refuses (an empty key,
   *     binary metadata under a key without the {@value Metadata#BINARY_SUFFIX} suffix)
   */
  public static Metadata read(List<MetadataEntry> strings, List<BinaryMetadataEntry> binaries) {
    if (strings.isEmpty() && binaries.isEmpty()) {
      return Metadata.EMPTY; // most calls carry none
    }
    Metadata.Builder metadata = Metadata.builder();
    for (MetadataEntry entry : strings) {
      metadata.put(entry.getKey(), entry.getValue());
    }
    for (BinaryMetadataEntry entry : binaries) {
      metadata.putBinary(entry.getKey(), entry.getValue());
    }
    return metadata.build();
  }

  /** {@code metadata}'s text entries. */
  public static List<MetadataEntry> strings(Metadata metadata) {
    ImmutableList.Builder<MetadataEntry> entries = ImmutableList.builder();
    metadata
        .strings()
        .forEach((k, v) -> entries.add(MetadataEntry.newBuilder().setKey(k).setValue(v).build()));
    return entries.build();
  }

  /** {@code metadata}'s binary entries. */
  public static List<BinaryMetadataEntry> binaries(Metadata metadata) {
    ImmutableList.Builder<BinaryMetadataEntry> entries = ImmutableList.builder();
    metadata
        .binaries()
        .forEach(
            (k, v) -> entries.add(BinaryMetadataEntry.newBuilder().setKey(k).setValue(v).build()));
    return entries.build();
  }
}
