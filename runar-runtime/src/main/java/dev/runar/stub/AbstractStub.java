package dev.runar.stub;

import com.google.protobuf.ByteString;
import dev.runar.CallOptions;
import dev.runar.ClientInterceptor;
import dev.runar.Deadline;
import dev.runar.Node;
import dev.runar.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The base of generated client stubs: a node to call through and the options every call carries.
 * Stubs are immutable; each {@code with} method returns a new stub of the same type.
 *
 * @param <S> the concrete stub type
 */
public abstract class AbstractStub<S extends AbstractStub<S>> {
  private final Node node;
  private final CallOptions callOptions;

  protected AbstractStub(Node node, CallOptions callOptions) {
    this.node = Objects.requireNonNull(node, "node");
    this.callOptions = Objects.requireNonNull(callOptions, "callOptions");
  }

  /** Creates a stub of the concrete type; what {@code with} methods call. */
  protected abstract S build(Node node, CallOptions callOptions);

  /** The node calls go through. */
  public final Node getNode() {
    return node;
  }

  /** The options every call of this stub carries. */
  public final CallOptions getCallOptions() {
    return callOptions;
  }

  /** A copy whose calls must finish by {@code deadline}. */
  public final S withDeadline(Deadline deadline) {
    return build(node, callOptions.withDeadline(deadline));
  }

  /**
   * A copy whose calls must finish by {@code deadline}, a wall-clock instant. It becomes a {@link
   * Deadline} at once (measured on the monotonic clock from now), so the time left is fixed when
   * this method is called, as in grpc-java.
   */
  public final S withDeadline(Instant deadline) {
    return withDeadline(Deadline.after(Duration.between(Instant.now(), deadline)));
  }

  /**
   * A copy whose calls must finish within {@code duration} of now, as grpc-java's {@code
   * withDeadlineAfter}: the deadline is fixed when this method is called, so every call made
   * through the copy shares it. For a time limit per call, use {@link #withTimeout}.
   */
  public final S withDeadlineAfter(long duration, TimeUnit unit) {
    return withDeadline(Deadline.after(duration, unit));
  }

  /** {@link #withDeadlineAfter(long, TimeUnit)} with a {@link Duration}. */
  public final S withDeadlineAfter(Duration duration) {
    return withDeadline(Deadline.after(duration));
  }

  /** A copy whose calls must each finish within {@code timeout} of starting. */
  public final S withTimeout(Duration timeout) {
    return build(node, callOptions.withTimeout(timeout));
  }

  /** A copy whose calls carry one more metadata entry. */
  public final S withMetadata(String key, String value) {
    return build(node, callOptions.withMetadata(key, value));
  }

  /** A copy whose calls carry one more binary metadata entry (the key ends in {@code -bin}). */
  public final S withBinaryMetadata(String key, ByteString value) {
    return build(node, callOptions.withBinaryMetadata(key, value));
  }

  /**
   * A copy whose calls also go through {@code interceptors}, after the node's and this stub's own;
   * see {@link ClientInterceptor}.
   */
  public final S withInterceptors(ClientInterceptor... interceptors) {
    return build(node, callOptions.withInterceptors(interceptors));
  }

  /**
   * A copy whose calls are retried by {@code policy} instead of the node's service config, as a
   * service config's {@code retryPolicy} in grpc-java; see {@link CallOptions#withRetryPolicy}.
   */
  public final S withRetryPolicy(RetryPolicy policy) {
    return build(node, callOptions.withRetryPolicy(policy));
  }

  /**
   * A copy whose calls compress their payloads with {@code encoding} ({@code "gzip"}) where the
   * provider accepts it, as grpc-java's {@code withCompression}; see {@link
   * CallOptions#withCompression}.
   */
  public final S withCompression(String encoding) {
    return build(node, callOptions.withCompression(encoding));
  }

  /** A copy with {@code callOptions} replacing the current ones. */
  public final S withCallOptions(CallOptions callOptions) {
    return build(node, callOptions);
  }
}
