package dev.runar;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableMap;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-call settings: the deadline (or a timeout from when the call starts), metadata sent to the
 * handler, the retry policy (overriding the node's) and compression. Immutable; each {@code with}
 * method returns a copy. {@link #DEFAULT} uses the node's default request timeout.
 */
public final class CallOptions {
  /** No deadline of its own (the node's default timeout applies) and no metadata. */
  public static final CallOptions DEFAULT =
      new CallOptions(null, null, ImmutableMap.of(), null, "");

  private final Deadline deadline;
  private final Duration timeout;
  private final ImmutableMap<String, String> metadata;
  private final RetryPolicy retryPolicy;
  private final String compression;

  private CallOptions(
      Deadline deadline,
      Duration timeout,
      ImmutableMap<String, String> metadata,
      RetryPolicy retryPolicy,
      String compression) {
    this.deadline = deadline;
    this.timeout = timeout;
    this.metadata = metadata;
    this.retryPolicy = retryPolicy;
    this.compression = compression;
  }

  /** A copy whose call must finish by {@code deadline}. Replaces any timeout. */
  public CallOptions withDeadline(Deadline deadline) {
    return new CallOptions(
        Objects.requireNonNull(deadline, "deadline"), null, metadata, retryPolicy, compression);
  }

  /** A copy whose call must finish within {@code timeout} of starting. Replaces any deadline. */
  public CallOptions withTimeout(Duration timeout) {
    return new CallOptions(
        null, Objects.requireNonNull(timeout, "timeout"), metadata, retryPolicy, compression);
  }

  /** A copy carrying one more metadata entry (replacing one of the same key). */
  public CallOptions withMetadata(String key, String value) {
    ImmutableMap<String, String> merged =
        ImmutableMap.<String, String>builder()
            .putAll(metadata)
            .put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"))
            .buildKeepingLast();
    return new CallOptions(deadline, timeout, merged, retryPolicy, compression);
  }

  /**
   * A copy retried by {@code policy} rather than by the node's {@link ServiceConfig} ({@link
   * RetryPolicy#NONE}: not retried by policy). The method's idempotency still decides whether a
   * call a handler ran may be retried: see {@link RetryPolicy}. Unary calls only.
   */
  public CallOptions withRetryPolicy(RetryPolicy policy) {
    return new CallOptions(
        deadline, timeout, metadata, Objects.requireNonNull(policy, "policy"), compression);
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
    return new CallOptions(deadline, timeout, metadata, retryPolicy, e);
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

  public ImmutableMap<String, String> metadata() {
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

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("deadline", deadline)
        .add("timeout", timeout)
        .add("metadata", metadata)
        .add("retryPolicy", retryPolicy)
        .add("compression", compression.isEmpty() ? null : compression)
        .omitNullValues()
        .toString();
  }
}
