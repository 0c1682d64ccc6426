package dev.runar;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableMap;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-call settings: the deadline (or a timeout from when the call starts) and metadata sent to the
 * handler. Immutable; each {@code with} method returns a copy. {@link #DEFAULT} uses the node's
 * default request timeout.
 */
public final class CallOptions {
  /** No deadline of its own (the node's default timeout applies) and no metadata. */
  public static final CallOptions DEFAULT = new CallOptions(null, null, ImmutableMap.of());

  private final Deadline deadline;
  private final Duration timeout;
  private final ImmutableMap<String, String> metadata;

  private CallOptions(Deadline deadline, Duration timeout, ImmutableMap<String, String> metadata) {
    this.deadline = deadline;
    this.timeout = timeout;
    this.metadata = metadata;
  }

  /** A copy whose call must finish by {@code deadline}. Replaces any timeout. */
  public CallOptions withDeadline(Deadline deadline) {
    return new CallOptions(Objects.requireNonNull(deadline, "deadline"), null, metadata);
  }

  /** A copy whose call must finish within {@code timeout} of starting. Replaces any deadline. */
  public CallOptions withTimeout(Duration timeout) {
    return new CallOptions(null, Objects.requireNonNull(timeout, "timeout"), metadata);
  }

  /** A copy carrying one more metadata entry (replacing one of the same key). */
  public CallOptions withMetadata(String key, String value) {
    ImmutableMap<String, String> merged =
        ImmutableMap.<String, String>builder()
            .putAll(metadata)
            .put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"))
            .buildKeepingLast();
    return new CallOptions(deadline, timeout, merged);
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

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("deadline", deadline)
        .add("timeout", timeout)
        .add("metadata", metadata)
        .omitNullValues()
        .toString();
  }
}
