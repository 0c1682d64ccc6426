package dev.runar;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Message;
import dev.runar.internal.FailedPublisher;
import dev.runar.registry.proto.ListServicesRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Sends each call the node makes where its {@link Router} says: to a local handler, to a remote
 * provider, or back to the caller as a failure. Unary calls, streaming calls and descriptor
 * requests to a peer go through it alike. Thread-safe and stateless.
 */
final class Dispatcher {
  private final Duration requestTimeout;
  private final Router router;
  private final PathCache paths;
  private final LocalCalls local;
  private final Optional<RemoteCalls> remote;

  Dispatcher(
      Duration requestTimeout,
      Router router,
      PathCache paths,
      LocalCalls local,
      Optional<RemoteCalls> remote) {
    this.requestTimeout = requestTimeout;
    this.router = router;
    this.paths = paths;
    this.local = local;
    this.remote = remote;
  }

  /**
   * A unary call to {@code path}; {@code responsePrototype} types the reply (null for {@link
   * Node#request}, which takes any message: a remote reply is then parsed by its wire type name).
   */
  <RespT extends Message> CompletableFuture<RespT> unary(
      String path, Message request, CallOptions options, RespT responsePrototype) {
    Objects.requireNonNull(request, "request");
    Router.Route route = router.route(path, options.effectiveDeadline(requestTimeout));
    if (route instanceof Router.Local to) {
      return local.unary(to, request, options.metadata(), responsePrototype);
    }
    if (route instanceof Router.Remote to) {
      Optional<CompletableFuture<RespT>> call =
          remote.flatMap(r -> r.call(to, request, options.metadata(), responsePrototype));
      if (call.isPresent()) {
        return call.get();
      }
    }
    return CompletableFuture.failedFuture(Router.failure(route).asException());
  }

  /** A streaming call, started when the returned publisher is subscribed to. */
  <ReqT extends Message, RespT extends Message> Flow.Publisher<RespT> stream(
      MethodDescriptor<ReqT, RespT> method, Flow.Publisher<ReqT> requests, CallOptions options) {
    Objects.requireNonNull(requests, "requests");
    return subscriber -> {
      Router.Route route = router.route(method.path(), options.effectiveDeadline(requestTimeout));
      if (route instanceof Router.Local to) {
        local.stream(to, requests, options.metadata(), method.responsePrototype(), subscriber);
      } else if (!(route instanceof Router.Remote to
          && remote.isPresent()
          && remote.get().stream(to, method, requests, options.metadata(), subscriber))) {
        FailedPublisher.fail(subscriber, Router.failure(route).asException());
      }
    };
  }

  /** The descriptors of what the connected peer {@code peerId} hosts (NOT_FOUND when it is not). */
  CompletableFuture<FileDescriptorSet> peerDescriptors(String peerId, CallOptions options) {
    Objects.requireNonNull(peerId, "peerId");
    MethodDescriptor<ListServicesRequest, FileDescriptorSet> method = RegistryService.DESCRIPTORS;
    return remote
        .flatMap(
            r ->
                r.callPeer(
                    peerId,
                    paths.parse(method.path()),
                    ListServicesRequest.getDefaultInstance(),
                    options.effectiveDeadline(requestTimeout),
                    method.responsePrototype()))
        .orElseGet(
            () ->
                CompletableFuture.failedFuture(
                    Status.NOT_FOUND
                        .withDescription("peer " + peerId + " is not connected")
                        .asException()));
  }
}
