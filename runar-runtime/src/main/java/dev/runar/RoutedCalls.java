package dev.runar;

import com.google.protobuf.Message;
import dev.runar.internal.FailedPublisher;
import dev.runar.network.ReplyMetadata;
import dev.runar.registry.TopicPath;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs the calls made on this node once {@link CallDispatcher} has started them: routes each
 * attempt to this node's own handler or a peer's (as the load balancer chooses), and retries failed
 * attempts by the call's retry policy within the node's retry budget (server-streaming calls only
 * before their first response; client and bidirectional streams, whose requests are consumed as
 * they are sent, never). A call under no policy (the common case) takes one attempt and none of the
 * retry machinery. Thread-safe.
 */
final class RoutedCalls {
  private final NodeConfig config;
  private final Router router;
  private final LocalCalls calls;
  private final Optional<RemoteCalls> remote;
  private final ScheduledExecutorService timer;
  private final RetryThrottle throttle;

  /**
   * @param remote the node's calls to peers; empty for a node without networking
   * @param timer where retries wait out their backoff
   */
  RoutedCalls(
      NodeConfig config,
      Router router,
      LocalCalls calls,
      Optional<RemoteCalls> remote,
      ScheduledExecutorService timer) {
    this.config = config;
    this.router = router;
    this.calls = calls;
    this.remote = remote;
    this.timer = timer;
    ServiceConfig service = config.serviceConfig();
    this.throttle = new RetryThrottle(service.retryMaxTokens(), service.retryTokenRatio());
  }

  /**
   * Calls the action at {@code path}.
   *
   * @param nowNanos a reading of the clock just taken, which routing and the first attempt reuse
   * @param idempotentMethod whether the caller's method descriptor declares it idempotent
   * @param responsePrototype the reply's type; null for whatever the handler replies
   */
  <RespT extends Message> CompletableFuture<RespT> call(
      String path,
      Message request,
      Deadline deadline,
      long nowNanos,
      Metadata metadata,
      CallOptions options,
      boolean idempotentMethod,
      RespT responsePrototype,
      ReplyMetadata reply) {
    Router.Route route = router.route(path, deadline, nowNanos);
    if (route instanceof Router.Refused) {
      return failed(Router.failure(route));
    }
    TopicPath target = target(route);
    boolean idempotent = idempotentMethod || isIdempotent(route, target);
    RetryPolicy policy = policy(options, target, idempotent);
    Optional<HedgingPolicy> hedging =
        idempotent && options.retryPolicy().isEmpty()
            ? config.serviceConfig().hedgingPolicy(target)
            : Optional.empty();
    boolean once = policy.maxAttempts() == 1 && hedging.isEmpty();
    if (once
        && route instanceof Router.Local local
        && (remote.isEmpty() || remote.get().routes().picker().prefersLocal())) {
      return calls.unary(local, request, metadata, responsePrototype, reply); // the fast path
    }
    CallAttempt first = CallAttempt.first(options.compression());
    if (once) {
      return attempt(route, target, request, metadata, responsePrototype, reply, first);
    }
    RetryingCall.Attempts<RespT> attempts =
        (number, attemptDeadline) ->
            attempt(
                number == 1 && attemptDeadline.equals(deadline)
                    ? route
                    : router.route(path, attemptDeadline),
                target,
                request,
                metadata,
                responsePrototype,
                reply,
                first.next());
    return hedging.isPresent()
        ? new HedgingCall<>(hedging.get(), deadline, throttle, timer, attempts).start()
        : new RetryingCall<>(policy, deadline, idempotent, throttle, timer, attempts).start();
  }

  private <RespT extends Message> CompletableFuture<RespT> attempt(
      Router.Route route,
      TopicPath target,
      Message request,
      Metadata metadata,
      RespT responsePrototype,
      ReplyMetadata reply,
      CallAttempt attempt) {
    return route instanceof Router.Local local
        ? attemptWhereHandled(local, target, request, metadata, responsePrototype, reply, attempt)
        : attemptOnPeer(route, request, metadata, responsePrototype, reply, attempt);
  }

  /**
   * An attempt of a call this node has a handler for: run here, or (when peers serve the path too
   * and the balancer picks one) on a peer.
   */
  private <RespT extends Message> CompletableFuture<RespT> attemptWhereHandled(
      Router.Local local,
      TopicPath target,
      Message request,
      Metadata metadata,
      RespT responsePrototype,
      ReplyMetadata reply,
      CallAttempt attempt) {
    if (remote.isEmpty()) {
      return calls.unary(local, request, metadata, responsePrototype, reply);
    }
    ProviderPicker picker = remote.get().routes().picker();
    String self = picker.localNodeId();
    if (picker.prefersLocal() && !attempt.tried().contains(self)) {
      attempt.tried().add(self);
      return picker
          .health()
          .track(self, calls.unary(local, request, metadata, responsePrototype, reply));
    }
    Optional<RemoteService.Action> peer =
        remote.get().routes().choose(target, attempt.tried(), true).flatMap(a -> a);
    if (peer.isEmpty()) {
      attempt.tried().add(self);
      return picker
          .health()
          .track(self, calls.unary(local, request, metadata, responsePrototype, reply));
    }
    return attemptOnPeer(
        new Router.Remote(target, local.deadline(), local.clockNanos()),
        request,
        metadata,
        responsePrototype,
        reply,
        attempt.on(peer.get()));
  }

  /** An attempt on the peer {@code route} names, if it is a remote route and there is a network. */
  private <RespT extends Message> CompletableFuture<RespT> attemptOnPeer(
      Router.Route route,
      Message request,
      Metadata metadata,
      RespT responsePrototype,
      ReplyMetadata reply,
      CallAttempt attempt) {
    if (route instanceof Router.Remote r && remote.isPresent()) {
      Optional<CompletableFuture<RespT>> call =
          remote.get().call(r, request, metadata, responsePrototype, reply, attempt);
      if (call.isPresent()) {
        return call.get();
      }
    }
    return failed(Router.failure(route));
  }

  /**
   * Starts a streaming call, delivering to {@code subscriber}; a server-streaming call is retried
   * by policy until its first response.
   */
  <ReqT extends Message, RespT extends Message> void stream(
      MethodDescriptor<ReqT, RespT> method,
      Flow.Publisher<ReqT> requests,
      Deadline deadline,
      Metadata metadata,
      CallOptions options,
      Flow.Subscriber<? super RespT> subscriber,
      ReplyMetadata reply) {
    Router.Route route = router.route(method.path(), deadline);
    if (method.type() != MethodDescriptor.MethodType.SERVER_STREAMING
        || route instanceof Router.Refused) {
      stream(route, method, requests, metadata, subscriber, reply);
      return;
    }
    TopicPath target = target(route);
    boolean idempotent = method.isIdempotent() || isIdempotent(route, target);
    RetryPolicy policy = policy(options, target, idempotent);
    if (policy.maxAttempts() == 1) {
      stream(route, method, requests, metadata, subscriber, reply);
      return;
    }
    new RetryingStream<RespT>(
            policy,
            deadline,
            idempotent,
            throttle,
            timer,
            (number, attempt) ->
                stream(
                    number == 1 ? route : router.route(method.path(), deadline),
                    method,
                    requests, // a server-streaming call's one request: its publisher replays it
                    metadata,
                    attempt,
                    reply),
            subscriber)
        .start();
  }

  private <ReqT extends Message, RespT extends Message> void stream(
      Router.Route route,
      MethodDescriptor<ReqT, RespT> method,
      Flow.Publisher<ReqT> requests,
      Metadata metadata,
      Flow.Subscriber<? super RespT> subscriber,
      ReplyMetadata reply) {
    if (route instanceof Router.Local local) {
      calls.stream(local, requests, metadata, method.responsePrototype(), subscriber, reply);
    } else if (!(route instanceof Router.Remote r
        && remote.isPresent()
        && remote.get().stream(r, method, requests, metadata, subscriber, reply))) {
      FailedPublisher.fail(subscriber, Router.failure(route).asException());
    }
  }

  /** The call's own policy, else the configured one, else the default for idempotent methods. */
  private RetryPolicy policy(CallOptions options, TopicPath target, boolean idempotent) {
    return options
        .retryPolicy()
        .or(() -> config.serviceConfig().retryPolicy(target))
        .orElse(idempotent ? config.serviceConfig().idempotentRetryPolicy() : RetryPolicy.NONE);
  }

  /** Whether the handler that serves {@code target}, here or on a peer, declares it idempotent. */
  private boolean isIdempotent(Router.Route route, TopicPath target) {
    if (route instanceof Router.Local local) {
      return local.action().value().method().descriptor().isIdempotent();
    }
    return remote.isPresent() && remote.get().routes().advertisedIdempotent(target);
  }

  private static TopicPath target(Router.Route route) {
    return route instanceof Router.Local local ? local.target() : ((Router.Remote) route).target();
  }

  private static <T> CompletableFuture<T> failed(Status status) {
    return CompletableFuture.failedFuture(status.asException());
  }
}
