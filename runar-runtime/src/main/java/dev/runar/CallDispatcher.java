package dev.runar;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Message;
import dev.runar.internal.FailedPublisher;
import dev.runar.network.ReplyMetadata;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Starts the calls a node makes, the client half of every call: fixes the deadline (the earlier of
 * the call's own and that of the call this thread is serving), binds the call to that parent call
 * so it ends when the parent does, runs the client interceptors, checks the metadata's size, and
 * routes the call to a local handler or a peer. Thread-safe.
 */
final class CallDispatcher {
  private final NodeConfig config;
  private final PathCache paths;
  private final RoutedCalls routed;
  private final Optional<RemoteCalls> remote;

  CallDispatcher(
      NodeConfig config, PathCache paths, RoutedCalls routed, Optional<RemoteCalls> remote) {
    this.config = config;
    this.paths = paths;
    this.routed = routed;
    this.remote = remote;
  }

  /** A unary call; the reply is typed as {@code responsePrototype} unless it is null. */
  <RespT extends Message> CompletableFuture<RespT> unary(
      String path,
      Message request,
      CallOptions options,
      boolean idempotentMethod,
      RespT responsePrototype) {
    Objects.requireNonNull(request, "request");
    Started started;
    try {
      started = start(path, MethodDescriptor.MethodType.UNARY, options);
    } catch (StatusException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    ClientInterception listeners = started.listeners();
    ReplyMetadata reply = new ReplyMetadata();
    listeners.onRequest(request);
    // Interceptors and their listeners may take their time: routing and the time left the callee
    // is told then need a reading taken after them.
    long now = listeners == ClientInterception.NONE ? started.clockNanos() : System.nanoTime();
    CompletableFuture<RespT> inner =
        routed.call(
            path,
            request,
            started.deadline(),
            now,
            started.headers(),
            options,
            idempotentMethod,
            responsePrototype,
            reply);
    if (listeners == ClientInterception.NONE && started.parent().isEmpty()) {
      // Nothing to tell and no parent call to bind to: the routed call's own future is the
      // caller's (its failures carry their trailers; cancelling it reaches the callee).
      return inner;
    }
    CompletableFuture<RespT> outcome = new CompletableFuture<>();
    CallContext.Registration parent =
        started.bind(status -> inner.completeExceptionally(status.asException()));
    inner.whenComplete(
        (response, error) -> {
          parent.close();
          Status status = error == null ? Status.OK : Status.fromThrowable(error);
          Metadata trailers = reply.trailers();
          listeners.onHeaders(reply.headers());
          if (error == null) {
            listeners.onResponse(response);
          }
          listeners.close(status, trailers);
          if (error == null) {
            outcome.complete(response);
          } else {
            outcome.completeExceptionally(status.asException(trailers));
          }
        });
    // The caller's cancel reaches the callee.
    outcome.whenComplete(
        (response, error) -> {
          if (error != null) {
            inner.completeExceptionally(error);
          }
        });
    return outcome;
  }

  /** A streaming call, started when the returned publisher is subscribed to. */
  <ReqT extends Message, RespT extends Message> Flow.Publisher<RespT> stream(
      MethodDescriptor<ReqT, RespT> method, Flow.Publisher<ReqT> requests, CallOptions options) {
    Objects.requireNonNull(requests, "requests");
    return subscriber -> {
      Objects.requireNonNull(subscriber, "subscriber"); // and no call started for it (rule 1.9)
      Started started;
      try {
        started = start(method.path(), method.type(), options);
      } catch (StatusException refused) {
        FailedPublisher.fail(subscriber, refused);
        return;
      }
      ClientInterception listeners = started.listeners();
      ReplyMetadata reply = new ReplyMetadata();
      ClientStreamEnd<RespT> end = new ClientStreamEnd<>(subscriber, listeners, reply);
      Flow.Publisher<ReqT> observed =
          s ->
              requests.subscribe(
                  new MappingSubscriber<>(
                      s,
                      m -> {
                        listeners.onRequest(m);
                        return m;
                      }));
      routed.stream(method, observed, started.deadline(), started.headers(), options, end, reply);
      end.bind(started.bind(end::abort));
    };
  }

  /**
   * A unary call to the connected peer {@code peerId} only (NOT_FOUND when it is not connected).
   */
  <ReqT extends Message, RespT extends Message> CompletableFuture<RespT> callPeer(
      String peerId, MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(request, "request");
    return remote
        .flatMap(
            r ->
                r.callPeer(
                    peerId,
                    paths.parse(method.path()),
                    request,
                    options.effectiveDeadline(config.requestTimeout()),
                    options.headers(),
                    method.responsePrototype()))
        .orElseGet(
            () ->
                CompletableFuture.failedFuture(
                    Status.NOT_FOUND
                        .withDescription("peer " + peerId + " is not connected")
                        .asException()));
  }

  /**
   * Fixes the call's deadline and metadata and runs the client interceptors.
   *
   * @throws StatusException when an interceptor refused the call, its metadata is too large, or its
   *     parent call has ended already (the listeners have seen the close)
   */
  private Started start(String path, MethodDescriptor.MethodType type, CallOptions options) {
    Optional<CallContext> parent = CallContext.find();
    long now = System.nanoTime();
    Deadline deadline = options.effectiveDeadline(config.requestTimeout(), now);
    if (parent.isPresent()) {
      deadline = deadline.min(parent.get().deadline());
    }
    List<ClientInterceptor> interceptors = interceptors(options);
    ClientInterception listeners;
    Metadata headers;
    if (interceptors.isEmpty()) {
      listeners = ClientInterception.NONE;
      headers = options.headers();
    } else {
      ClientCallInfo info = new ClientCallInfo(path, type, deadline, options.headers().toBuilder());
      ClientInterception.Result intercepted = ClientInterception.start(interceptors, info);
      if (intercepted.refusal().isPresent()) {
        throw intercepted.refusal().get();
      }
      listeners = intercepted.listeners().orElseThrow();
      headers = info.headers().build();
    }
    Optional<Status> problem =
        parent.flatMap(p -> p.cancellationStatus().map(CallDispatcher::inherited));
    Optional<Status> tooLarge =
        MetadataLimit.check(
            "the request metadata of %s is", path, headers.size(), config.maxMetadataSize());
    if (tooLarge.isPresent()) {
      problem = tooLarge;
    }
    if (problem.isPresent()) {
      listeners.close(problem.get(), Metadata.EMPTY);
      throw problem.get().asException();
    }
    return new Started(listeners, headers, deadline, now, parent);
  }

  private List<ClientInterceptor> interceptors(CallOptions options) {
    if (options.interceptors().isEmpty()) {
      return config.clientInterceptors();
    }
    return ImmutableList.<ClientInterceptor>builder()
        .addAll(config.clientInterceptors())
        .addAll(options.interceptors())
        .build();
  }

  /** The status a child call ends with when its parent call ends with {@code parent}. */
  static Status inherited(Status parent) {
    return parent.code() == Status.Code.DEADLINE_EXCEEDED
        ? Status.DEADLINE_EXCEEDED.withDescription(
            "the deadline of the call that made this one passed")
        : Status.CANCELLED.withDescription(
            "the call that made this one ended"
                + (parent.description() == null ? "" : ": " + parent.description()));
  }

  /**
   * A call past its start: its listeners, metadata, deadline and parent call.
   *
   * @param clockNanos a reading of the clock taken as the call started, before any interceptor ran:
   *     a call without interceptors routes and tells its first attempt's time left with it
   */
  private record Started(
      ClientInterception listeners,
      Metadata headers,
      Deadline deadline,
      long clockNanos,
      Optional<CallContext> parent) {
    /** Runs {@code onParentEnd} with the child's status when the parent call ends first. */
    CallContext.Registration bind(java.util.function.Consumer<Status> onParentEnd) {
      return parent
          .map(p -> p.addCancellationListener(s -> onParentEnd.accept(inherited(s))))
          .orElse(() -> {});
    }
  }
}
