package dev.runar;

import com.google.common.base.MoreObjects;

/**
 * A call as a {@link ClientInterceptor} sees it when it starts: where it goes, its shape, its
 * deadline (already the earlier of its own and its parent call's), and its request metadata, which
 * interceptors may change. Valid during {@link ClientInterceptor#interceptCall} only; the headers
 * builder is thread-safe.
 */
public final class ClientCallInfo {
  private final String path;
  private final MethodDescriptor.MethodType type;
  private final Deadline deadline;
  private final Metadata.Builder headers;

  ClientCallInfo(
      String path, MethodDescriptor.MethodType type, Deadline deadline, Metadata.Builder headers) {
    this.path = path;
    this.type = type;
    this.deadline = deadline;
    this.headers = headers;
  }

  /** The action's path as the caller gave it ({@code [network:]service/action}). */
  public String path() {
    return path;
  }

  /** The call's shape. */
  public MethodDescriptor.MethodType type() {
    return type;
  }

  /** When the call must end. */
  public Deadline deadline() {
    return deadline;
  }

  /** The request metadata the call will carry: add to it (a trace context, a token...). */
  public Metadata.Builder headers() {
    return headers;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("path", path)
        .add("type", type)
        .add("deadline", deadline)
        .toString();
  }
}
