package dev.runar;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Message;
import dev.runar.internal.FailedPublisher;
import dev.runar.network.ReplyMetadata;
import dev.runar.network.WireStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs calls on this node's handlers, for local callers and peers alike, and the caller's end of
 * streams whose responses come from a peer: each on the right executor, with its deadline armed and
 * tracked in flight until it ends. Thread-safe.
 */
final class LocalCalls {
  /** How a call's context is cancelled when the call ends normally. */
  private static final Status ENDED = Status.CANCELLED.withDescription("the call has ended");

  private final Executor handlers;
  private final Executor callbacks;
  private final ScheduledExecutorService timer;
  private final InFlightCalls inFlight;
  private final ImmutableList<ServerInterceptor> nodeInterceptors;
  private final int maxMetadataSize;

  /**
   * @param handlers where handlers run (the node's executor)
   * @param callbacks where responses from peers are delivered (never the handlers' executor)
   * @param config the node's server interceptors and metadata limit
   */
  LocalCalls(
      Executor handlers,
      Executor callbacks,
      ScheduledExecutorService timer,
      InFlightCalls inFlight,
      NodeConfig config) {
    this.handlers = handlers;
    this.callbacks = callbacks;
    this.timer = timer;
    this.inFlight = inFlight;
    this.nodeInterceptors = config.serverInterceptors();
    this.maxMetadataSize = config.maxMetadataSize();
  }

  /**
   * Runs a unary call on the handler {@code route} found, through the node's and the service's
   * interceptors; {@code reply} receives the response headers and trailers before the returned
   * future completes.
   */
  <RespT extends Message> CompletableFuture<RespT> unary(
      Router.Local route,
      Message request,
      Metadata metadata,
      RespT responsePrototype,
      ReplyMetadata reply) {
    HostedService.Action action = route.action().value();
    Optional<Status> refused = refusal(action, true, metadata);
    if (refused.isPresent()) {
      reply.setHeaders(Metadata.EMPTY);
      reply.setTrailers(Metadata.EMPTY);
      return CompletableFuture.failedFuture(refused.get().asException());
    }
    CallContext context = context(route, metadata);
    ImmutableList<ServerInterceptor> interceptors = interceptors(action);
    ServerInterception listeners;
    try {
      listeners = ServerInterception.start(interceptors, context);
    } catch (StatusException refusal) {
      Status status = finish(context, refusal.status(), reply);
      return CompletableFuture.failedFuture(status.asException(reply.trailers()));
    }
    listeners.onRequest(request);
    LocalCall<RespT> call =
        new LocalCall<>(
            action,
            request,
            context,
            responsePrototype,
            (response, status) -> {
              if (status.isOk()) {
                listeners.onResponse(response);
              }
              listeners.onClose(status);
              Status sent = finish(context, status, reply);
              return sent.isOk() ? null : sent.asException(reply.trailers());
            });
    if (inFlight.add(call)) {
      call.start(handlers, timer, inFlight, interceptors.isEmpty());
    } else {
      inFlight.remove(call); // failed as not started: nothing will run
    }
    return call.result();
  }

  /** Runs a streaming call on the handler {@code route} found, as {@link #unary} does. */
  <RespT extends Message> void stream(
      Router.Local route,
      Flow.Publisher<? extends Message> requests,
      Metadata metadata,
      RespT responsePrototype,
      Flow.Subscriber<? super RespT> subscriber,
      ReplyMetadata reply) {
    HostedService.Action action = route.action().value();
    Optional<Status> refused = refusal(action, false, metadata);
    if (refused.isPresent()) {
      reply.setHeaders(Metadata.EMPTY);
      reply.setTrailers(Metadata.EMPTY);
      FailedPublisher.fail(subscriber, refused.get().asException());
      return;
    }
    CallContext context = context(route, metadata);
    ServerInterception listeners;
    try {
      listeners = ServerInterception.start(interceptors(action), context);
    } catch (StatusException refusal) {
      Status status = finish(context, refusal.status(), reply);
      FailedPublisher.fail(subscriber, status.asException(reply.trailers()));
      return;
    }
    ServerStreamEnd<RespT> end =
        new ServerStreamEnd<>(
            subscriber, context, listeners, reply, (c, status) -> finish(c, status, reply));
    Flow.Publisher<Message> observed =
        s ->
            upcast(requests)
                .subscribe(
                    new MappingSubscriber<>(
                        s,
                        m -> {
                          listeners.onRequest(m);
                          return m;
                        }));
    RequestRelay<Message> relayed = new RequestRelay<>(observed);
    StreamCall<RespT> call =
        new StreamCall<>(
            action.path(),
            route.deadline(),
            responsePrototype,
            end,
            () -> end.close(Status.CANCELLED.withDescription("the caller cancelled")));
    // Read the requests from now on, as a remote call does, and stop when the call ends.
    relayed.start();
    call.completion().whenComplete((ignored, failure) -> relayed.cancel());
    inFlight.track(call);
    call.start(
        handlers,
        timer,
        () ->
            context.call(
                () -> {
                  try {
                    return ServerStreamEnd.keepingTrailers(
                        invokeStreaming(action.method(), relayed, context), context);
                  } catch (RuntimeException e) {
                    ServerStreamEnd.keepTrailers(e, context);
                    throw e;
                  }
                }));
  }

  private CallContext context(Router.Local route, Metadata metadata) {
    return new CallContext(
        route.target(),
        route.action().params(),
        route.action().value().method().descriptor(),
        route.deadline(),
        metadata);
  }

  private ImmutableList<ServerInterceptor> interceptors(HostedService.Action action) {
    ImmutableList<ServerInterceptor> own = action.service().definition().interceptors();
    if (own.isEmpty()) {
      return nodeInterceptors;
    }
    return ImmutableList.<ServerInterceptor>builder().addAll(nodeInterceptors).addAll(own).build();
  }

  /**
   * Ends a call's context and fixes its response headers and trailers into {@code reply}; returns
   * the status to send: {@code status}, or RESOURCE_EXHAUSTED when they exceed the limit.
   */
  private Status finish(CallContext context, Status status, ReplyMetadata reply) {
    context.cancel(status.isOk() ? ENDED : status);
    Metadata headers = reply.hasHeaders() ? reply.headers() : context.builtResponseHeaders();
    Metadata trailers = context.builtResponseTrailers();
    Optional<Status> tooLarge =
        MetadataLimit.check(
            "the response headers and trailers of %s are",
            context.path(), headers.size() + trailers.size(), maxMetadataSize);
    if (tooLarge.isPresent()) {
      status = tooLarge.get();
      headers = Metadata.EMPTY;
      trailers = Metadata.EMPTY;
    }
    reply.setHeaders(headers);
    reply.setTrailers(trailers);
    return status;
  }

  /** The caller's end of a streaming call whose responses come from a peer. */
  <RespT extends Message> void fromPeer(
      Object what,
      Deadline deadline,
      RespT responsePrototype,
      Flow.Subscriber<? super RespT> subscriber,
      Flow.Publisher<? extends Message> responses,
      Runnable cancelRemote) {
    StreamCall<RespT> call =
        new StreamCall<>(what, deadline, responsePrototype, subscriber, cancelRemote);
    inFlight.track(call);
    call.start(callbacks, timer, () -> responses);
  }

  /** Why {@code action} cannot take a call of this shape and metadata now, if it cannot. */
  private Optional<Status> refusal(HostedService.Action action, boolean unary, Metadata metadata) {
    Optional<Status> tooLarge =
        MetadataLimit.check(
            "the request metadata of %s is", action.path(), metadata.size(), maxMetadataSize);
    if (tooLarge.isPresent()) {
      return tooLarge;
    }
    if (action.service().state() != ServiceState.RUNNING) {
      return Optional.of(
          WireStatus.notStarted(
              Status.UNAVAILABLE.withDescription(
                  "service " + action.service().path() + " is not running")));
    }
    if (action.method().isUnary() != unary) {
      return Optional.of(
          Status.UNIMPLEMENTED.withDescription(
              action.path()
                  + " is a "
                  + action.method().descriptor().type()
                  + " action, called as "
                  + (unary ? "unary" : "a stream")));
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static Flow.Publisher<Message> upcast(Flow.Publisher<? extends Message> publisher) {
    return (Flow.Publisher<Message>) publisher;
  }

  private static <ReqT extends Message, R extends Message> Flow.Publisher<R> invokeStreaming(
      ServerMethod<ReqT, R> method, Flow.Publisher<Message> requests, CallContext context)
      throws Exception {
    ReqT prototype = method.descriptor().requestPrototype();
    Flow.Publisher<ReqT> typed =
        subscriber ->
            requests.subscribe(
                new MappingSubscriber<>(subscriber, m -> Messages.coerce(m, prototype)));
    return method.streaming().handle(typed, context);
  }
}
