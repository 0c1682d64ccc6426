package dev.runar;

/**
 * Sees, and may change, every call a node makes: per node ({@link
 * NodeConfig.Builder#clientInterceptor}) or per stub ({@code stub.withInterceptors(...)}, {@link
 * CallOptions#withInterceptors}). Local and remote calls, all four shapes, go through the same
 * interceptors.
 *
 * <p><b>Order.</b> The node's interceptors first, then the stub's, each in the order given. {@link
 * #interceptCall} runs in that order before the call is sent (so a later interceptor sees the
 * metadata an earlier one added); the returned listeners see requests in that order and responses,
 * headers and the close in the reverse order (the first interceptor is the outermost, as in
 * grpc-java's {@code ClientInterceptors.intercept} with the list reversed).
 *
 * <p>Implementations must be thread-safe: calls run concurrently. See {@code docs/interceptors.md}.
 */
@FunctionalInterface
public interface ClientInterceptor {
  /**
   * Called as the call starts, on the caller's thread. May add or change request metadata through
   * {@link ClientCallInfo#headers()}.
   *
   * @return what observes the rest of this call ({@link ClientCallListener#NONE} for nothing)
   * @throws StatusException to fail the call with that status (and its trailers) without sending
   *     it; the listeners of interceptors already run then see {@link ClientCallListener#onClose}
   */
  ClientCallListener interceptCall(ClientCallInfo call);
}
