package dev.runar;

import com.google.common.collect.ImmutableMap;
import com.google.protobuf.Message;
import dev.runar.internal.FailedPublisher;
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
  private final Executor handlers;
  private final Executor callbacks;
  private final ScheduledExecutorService timer;
  private final InFlightCalls inFlight;

  /**
   * @param handlers where handlers run (the node's executor)
   * @param callbacks where responses from peers are delivered (never the handlers' executor)
   */
  LocalCalls(
      Executor handlers,
      Executor callbacks,
      ScheduledExecutorService timer,
      InFlightCalls inFlight) {
    this.handlers = handlers;
    this.callbacks = callbacks;
    this.timer = timer;
    this.inFlight = inFlight;
  }

  /** Runs a unary call on the handler {@code route} found. */
  <RespT extends Message> CompletableFuture<RespT> unary(
      Router.Local route,
      Message request,
      ImmutableMap<String, String> metadata,
      RespT responsePrototype) {
    HostedService.Action action = route.action().value();
    Optional<Status> refused = shapeRefusal(action, true);
    if (refused.isPresent()) {
      return CompletableFuture.failedFuture(refused.get().asException());
    }
    CallContext context =
        new CallContext(route.target(), route.action().params(), route.deadline(), metadata);
    LocalCall<RespT> call = new LocalCall<>(action, request, context, responsePrototype);
    if (inFlight.track(call)) {
      call.start(handlers, timer);
    }
    return call.result();
  }

  /** Runs a streaming call on the handler {@code route} found. */
  <RespT extends Message> void stream(
      Router.Local route,
      Flow.Publisher<? extends Message> requests,
      ImmutableMap<String, String> metadata,
      RespT responsePrototype,
      Flow.Subscriber<? super RespT> subscriber) {
    HostedService.Action action = route.action().value();
    Optional<Status> refused = shapeRefusal(action, false);
    if (refused.isPresent()) {
      FailedPublisher.fail(subscriber, refused.get().asException());
      return;
    }
    CallContext context =
        new CallContext(route.target(), route.action().params(), route.deadline(), metadata);
    RequestRelay<Message> relayed = new RequestRelay<>(upcast(requests));
    StreamCall<RespT> call =
        new StreamCall<>(
            action.path(), route.deadline(), responsePrototype, subscriber, context::cancel);
    // Read the requests from now on, as a remote call does, and stop when the call ends.
    relayed.start();
    call.completion().whenComplete((ignored, failure) -> relayed.cancel());
    inFlight.track(call);
    call.start(
        handlers,
        timer,
        () -> context.runWith(() -> invokeStreaming(action.method(), relayed, context)));
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

  /** Why {@code action} cannot take a call of this shape now, if it cannot. */
  private static Optional<Status> shapeRefusal(HostedService.Action action, boolean unary) {
    if (action.service().state() != ServiceState.RUNNING) {
      return Optional.of(
          NotStartedCalls.mark(
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
