package dev.runar;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Per-call settings: the deadline (or a timeout from when the call starts), metadata sent to the
 * handler, and the call's own {@link ClientInterceptor interceptors}. Immutable; each {@code with}
 * method returns a copy. {@link #DEFAULT} uses the node's default request timeout.
 *
 * <p>A call made while a handler runs also inherits that call's deadline when it is earlier: see
 * {@link CallContext}.
 */
public final class CallOptions {
  /** No deadline of its own (the node's default timeout applies) and no metadata. */
  public static final CallOptions DEFAULT =
      new CallOptions(null, null, Metadata.EMPTY, ImmutableList.of());

  private final Deadline deadline;
  private final Duration timeout;
  private final Metadata metadata;
  private final ImmutableList<ClientInterceptor> interceptors;

  private CallOptions(
      Deadline deadline,
      Duration timeout,
      Metadata metadata,
      ImmutableList<ClientInterceptor> interceptors) {
    this.deadline = deadline;
    this.timeout = timeout;
    this.metadata = metadata;
    this.interceptors = interceptors;
  }

  /** A copy whose call must finish by {@code deadline}. Replaces any timeout. */
  public CallOptions withDeadline(Deadline deadline) {
    return new CallOptions(
        Objects.requireNonNull(deadline, "deadline"), null, metadata, interceptors);
  }

  /** A copy whose call must finish within {@code timeout} of starting. Replaces any deadline. */
  public CallOptions withTimeout(Duration timeout) {
    return new CallOptions(
        null, Objects.requireNonNull(timeout, "timeout"), metadata, interceptors);
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
    return new CallOptions(deadline, timeout, metadata.merge(more), interceptors);
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
            .build());
  }

  /** The deadline a call started now gets: the explicit one, else now plus the timeout. */
  public Deadline effectiveDeadline(Duration defaultTimeout) {
    if (deadline != null) {
      return deadline;
    }
    return Deadline.after(timeout != null ? timeout : defaultTimeout);
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
        .omitNullValues()
        .toString();
  }
}
