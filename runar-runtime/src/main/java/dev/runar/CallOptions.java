package dev.runar;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-call settings: the deadline (or a timeout from when the call starts), metadata sent to the
 * handler, the call's own {@link ClientInterceptor interceptors}, its retry policy (overriding the
 * node's) and compression. Immutable; each {@code with} method returns a copy. {@link #DEFAULT}
 * uses the node's default request timeout.
 *
 * <p>A call made while a handler runs also inherits that call's deadline when it is earlier: see
 * {@link CallContext}.
 */
public final class CallOptions {
  /** No deadline of its own (the node's default timeout applies) and no metadata. */
  public static final CallOptions DEFAULT =
      new CallOptions(null, null, Metadata.EMPTY, ImmutableList.of(), null, "");

  private final Deadline deadline;
  private final Duration timeout;
  private final Metadata metadata;
  private final ImmutableList<ClientInterceptor> interceptors;
  private final RetryPolicy retryPolicy;
  private final String compression;

  private CallOptions(
      Deadline deadline,
      Duration timeout,
      Metadata metadata,
      ImmutableList<ClientInterceptor> interceptors,
      RetryPolicy retryPolicy,
      String compression) {
    this.deadline = deadline;
    this.timeout = timeout;
    this.metadata = metadata;
    this.interceptors = interceptors;
    this.retryPolicy = retryPolicy;
    this.compression = compression;
  }

  /** A copy whose call must finish by {@code deadline}. Replaces any timeout. */
  public CallOptions withDeadline(Deadline deadline) {
    return new CallOptions(
        Objects.requireNonNull(deadline, "deadline"),
        null,
        metadata,
        interceptors,
        retryPolicy,
        compression);
  }

  /** A copy whose call must finish within {@code timeout} of starting. Replaces any deadline. */
  public CallOptions withTimeout(Duration timeout) {
    return new CallOptions(
        null,
        Objects.requireNonNull(timeout, "timeout"),
        metadata,
        interceptors,
        retryPolicy,
        compression);
  }

  /** A copy carrying one more text metadata entry (replacing one of the same key). */
  public CallOptions withMetadata(String key, String value) {
    return withMetadata(Metadata.builder().put(key, value).build());
  }

  /**
   * A copy carrying one more binary metadata entry; {@code key} ends in {@value
   * Metadata#BINARY_SUFFIX}.
   */
  public CallOptions withBinaryMetadata(String key, ByteString value) {
    return withMetadata(Metadata.builder().putBinary(key, value).build());
  }

  /** A copy carrying {@code more} metadata too (replacing entries of the same keys). */
  public CallOptions withMetadata(Metadata more) {
    return new CallOptions(
        deadline, timeout, metadata.merge(more), interceptors, retryPolicy, compression);
  }

  /** A copy whose call also goes through {@code more}, after the interceptors it has. */
  public CallOptions withInterceptors(ClientInterceptor... more) {
    return new CallOptions(
        deadline,
        timeout,
        metadata,
        ImmutableList.<ClientInterceptor>builder()
            .addAll(interceptors)
            .addAll(Arrays.asList(more))
            .build(),
        retryPolicy,
        compression);
  }

  /**
   * A copy whose call is retried by {@code policy}, whatever the node's service config says (as a
   * service config's {@code retryPolicy} in grpc-java); {@link RetryPolicy#NONE} turns retries off.
   */
  public CallOptions withRetryPolicy(RetryPolicy policy) {
    return new CallOptions(
        deadline,
        timeout,
        metadata,
        interceptors,
        Objects.requireNonNull(policy, "policy"),
        compression);
  }

  /**
   * A copy whose request is compressed with {@code encoding} ({@code "gzip"}) when its provider
   * accepts it, and whose reply is asked for in it; {@code "identity"} turns compression off (the
   * default). A local call is never compressed. Unary calls only.
   *
   * @throws IllegalArgumentException for an encoding other than {@code gzip} or {@code identity}
   */
  public CallOptions withCompression(String encoding) {
    String e = "identity".equals(encoding) ? "" : encoding;
    if (!e.isEmpty() && !Compression.SUPPORTED.contains(e)) {
      throw new IllegalArgumentException("unknown encoding " + encoding);
    }
    return new CallOptions(deadline, timeout, metadata, interceptors, retryPolicy, e);
  }

  /** The deadline a call started now gets: the explicit one, else now plus the timeout. */
  public Deadline effectiveDeadline(Duration defaultTimeout) {
    return effectiveDeadline(defaultTimeout, System.nanoTime());
  }

  /** {@link #effectiveDeadline(Duration)}, {@code nowNanos} a reading of the clock just taken. */
  Deadline effectiveDeadline(Duration defaultTimeout, long nowNanos) {
    if (deadline != null) {
      return deadline;
    }
    return Deadline.after(timeout != null ? timeout : defaultTimeout, nowNanos);
  }

  /** The explicit deadline, or null. */
  public Deadline deadline() {
    return deadline;
  }

  /** The explicit timeout, or null. */
  public Duration timeout() {
    return timeout;
  }

  /** The text metadata. */
  public ImmutableMap<String, String> metadata() {
    return metadata.strings();
  }

  /** All the metadata, text and binary. */
  public Metadata headers() {
    return metadata;
  }

  /** The call's own retry policy; empty: the node's service config decides. */
  public Optional<RetryPolicy> retryPolicy() {
    return Optional.ofNullable(retryPolicy);
  }

  /** The encoding the call asks for; {@code ""} for none. */
  public String compression() {
    return compression;
  }

  /** The call's own interceptors, run after the node's. */
  public ImmutableList<ClientInterceptor> interceptors() {
    return interceptors;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("deadline", deadline)
        .add("timeout", timeout)
        .add("metadata", metadata)
        .add("interceptors", interceptors.isEmpty() ? null : interceptors.size())
        .add("retryPolicy", retryPolicy)
        .add("compression", compression.isEmpty() ? null : compression)
        .omitNullValues()
        .toString();
  }
}
