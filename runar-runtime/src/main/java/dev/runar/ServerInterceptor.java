package dev.runar;

/**
 * Sees, and may refuse, every call a node's handlers serve: per node ({@link
 * NodeConfig.Builder#serverInterceptor}) or per service ({@link
 * ServiceDefinition.Builder#interceptor}). Calls from local callers and from peers, all four
 * shapes, go through the same interceptors, so a refusal looks the same to both.
 *
 * <p><b>Order.</b> The node's interceptors first, then the service's, each in the order given.
 * {@link #interceptCall} runs in that order before the handler; the returned listeners see requests
 * in that order and responses and the close in the reverse order (the first is the outermost).
 *
 * <p>Implementations must be thread-safe: calls run concurrently. See {@code docs/interceptors.md}.
 */
@FunctionalInterface
public interface ServerInterceptor {
  /**
   * Called before the handler runs, on the thread that received the call. {@code call} has the
   * method, the request metadata and the deadline; add response headers and trailers through it.
   *
   * @return what observes the rest of this call ({@link ServerCallListener#NONE} for nothing)
   * @throws StatusException to refuse the call with that status (and its trailers): no handler
   *     runs; the listeners of interceptors already run see {@link ServerCallListener#onClose}
   */
  ServerCallListener interceptCall(CallContext call);
}
