package dev.runar;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import com.google.common.base.Utf8;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.ByteString;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Key-value pairs a call carries besides its messages: the caller's request metadata, and the
 * callee's response headers and trailers. As in gRPC, a key ending in {@value #BINARY_SUFFIX} holds
 * bytes ({@link #binary}); other keys hold text. One value per key: a later put replaces an earlier
 * one.
 *
 * <p>What metadata may cost is bounded ({@link NodeConfig#maxMetadataSize()}, 8 KiB by default, as
 * gRPC's default header list size): a call whose request metadata is larger fails with
 * RESOURCE_EXHAUSTED before it is sent, and one whose response headers and trailers are larger
 * fails with RESOURCE_EXHAUSTED instead of replying.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class Metadata {
  /** The key suffix of binary values, as in gRPC. */
  public static final String BINARY_SUFFIX = "-bin";

  /** No entries. */
  public static final Metadata EMPTY = new Metadata(ImmutableMap.of(), ImmutableMap.of());

  private final ImmutableMap<String, String> strings;
  private final ImmutableMap<String, ByteString> binaries;

  /**
   * Kept rather than asked of the maps: every call asks, several levels deep in the call path,
   * where the compiler stops inlining and each map's size would be a call of its own.
   */
  private final boolean empty;

  private Metadata(
      ImmutableMap<String, String> strings, ImmutableMap<String, ByteString> binaries) {
    this.strings = strings;
    this.binaries = binaries;
    this.empty = strings.isEmpty() && binaries.isEmpty();
  }

  /** Metadata with the given text and binary entries. */
  public static Metadata of(Map<String, String> strings, Map<String, ByteString> binaries) {
    if (strings.isEmpty() && binaries.isEmpty()) {
      return EMPTY;
    }
    return builder().putAll(strings).putAllBinary(binaries).build();
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting with these entries. */
  public Builder toBuilder() {
    return builder().putAll(this);
  }

  /** The text value under {@code key}. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(strings.get(key));
  }

  /** The binary value under {@code key} (which ends in {@value #BINARY_SUFFIX}). */
  public Optional<ByteString> binary(String key) {
    return Optional.ofNullable(binaries.get(key));
  }

  /** Whether {@code key} has a value, text or binary. */
  public boolean containsKey(String key) {
    return strings.containsKey(key) || binaries.containsKey(key);
  }

  /** Every key, text ones first. */
  public ImmutableSet<String> keys() {
    return ImmutableSet.<String>builder()
        .addAll(strings.keySet())
        .addAll(binaries.keySet())
        .build();
  }

  /** The text entries. */
  public ImmutableMap<String, String> strings() {
    return strings;
  }

  /** The binary entries. */
  public ImmutableMap<String, ByteString> binaries() {
    return binaries;
  }

  /** Whether there are no entries. */
  public boolean isEmpty() {
    return empty;
  }

  /**
   * What the entries cost, as gRPC counts a header list: each key's and value's length in bytes
   * (UTF-8) plus 32 per entry.
   */
  public int size() {
    if (isEmpty()) {
      return 0; // every call asks, and most carry none
    }
    long size = 0;
    for (Map.Entry<String, String> e : strings.entrySet()) {
      size += Utf8.encodedLength(e.getKey()) + Utf8.encodedLength(e.getValue()) + 32L;
    }
    for (Map.Entry<String, ByteString> e : binaries.entrySet()) {
      size += Utf8.encodedLength(e.getKey()) + e.getValue().size() + 32L;
    }
    return (int) Math.min(Integer.MAX_VALUE, size);
  }

  /** These entries with {@code other}'s added, {@code other}'s winning for a key in both. */
  public Metadata merge(Metadata other) {
    if (other.isEmpty()) {
      return this;
    }
    return isEmpty() ? other : toBuilder().putAll(other).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metadata other
        && strings.equals(other.strings)
        && binaries.equals(other.binaries);
  }

  @Override
  public int hashCode() {
    return Objects.hash(strings, binaries);
  }

  @Override
  public String toString() {
    MoreObjects.ToStringHelper h = MoreObjects.toStringHelper(this);
    strings.forEach(h::add);
    binaries.forEach((k, v) -> h.add(k, v.size() + " bytes"));
    return h.toString();
  }

  /**
   * Collects entries. Thread-safe: a handler and its interceptors may add response headers and
   * trailers from different threads.
   */
  public static final class Builder {
    private final Map<String, String> strings = new LinkedHashMap<>();
    private final Map<String, ByteString> binaries = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Puts a text value. A key ending in {@value #BINARY_SUFFIX} may hold text too (a gateway
     * passing gRPC's base64 form on, say), but a binary value is what that suffix announces.
     */
    public synchronized Builder put(String key, String value) {
      checkKey(key);
      binaries.remove(key);
      strings.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Puts a binary value.
     *
     * @throws IllegalArgumentException unless {@code key} ends in {@value #BINARY_SUFFIX}
     */
    public synchronized Builder putBinary(String key, ByteString value) {
      checkKey(key);
      checkArgument(
          key.endsWith(BINARY_SUFFIX),
          "a binary metadata key must end in %s: %s",
          BINARY_SUFFIX,
          key);
      strings.remove(key);
      binaries.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Puts every entry of {@code other}. */
    public synchronized Builder putAll(Metadata other) {
      other.strings.forEach(this::put);
      other.binaries.forEach(this::putBinary);
      return this;
    }

    /** Puts text entries. */
    public synchronized Builder putAll(Map<String, String> entries) {
      entries.forEach(this::put);
      return this;
    }

    /** Puts binary entries. */
    public synchronized Builder putAllBinary(Map<String, ByteString> entries) {
      entries.forEach(this::putBinary);
      return this;
    }

    /** Removes {@code key}'s value, text or binary. */
    public synchronized Builder remove(String key) {
      strings.remove(key);
      binaries.remove(key);
      return this;
    }

    /** The entries put so far. */
    public synchronized Metadata build() {
      if (strings.isEmpty() && binaries.isEmpty()) {
        return EMPTY;
      }
      return new Metadata(ImmutableMap.copyOf(strings), ImmutableMap.copyOf(binaries));
    }

    private static void checkKey(String key) {
      checkArgument(!Objects.requireNonNull(key, "key").isEmpty(), "empty metadata key");
    }
  }
}
