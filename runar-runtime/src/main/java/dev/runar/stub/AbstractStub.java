package dev.runar.stub;

import dev.runar.CallOptions;
import dev.runar.Deadline;
import dev.runar.Node;
import java.time.Duration;
import java.util.Objects;

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

  public final Node getNode() {
    return node;
  }

  public final CallOptions getCallOptions() {
    return callOptions;
  }

  /** A copy whose calls must finish by {@code deadline}. */
  public final S withDeadline(Deadline deadline) {
    return build(node, callOptions.withDeadline(deadline));
  }

  /** A copy whose calls must each finish within {@code timeout} of starting. */
  public final S withTimeout(Duration timeout) {
    return build(node, callOptions.withTimeout(timeout));
  }

  /** A copy whose calls carry one more metadata entry. */
  public final S withMetadata(String key, String value) {
    return build(node, callOptions.withMetadata(key, value));
  }

  /** A copy with {@code callOptions} replacing the current ones. */
  public final S withCallOptions(CallOptions callOptions) {
    return build(node, callOptions);
  }
}
