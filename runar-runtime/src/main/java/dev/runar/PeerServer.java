package dev.runar;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import dev.runar.internal.FailedPublisher;
import dev.runar.internal.LookupCache;
import dev.runar.internal.WireMetadata;
import dev.runar.network.CallStream;
import dev.runar.network.Reply;
import dev.runar.network.ReplyMetadata;
import dev.runar.network.WireStatus;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Serves the calls peers make on this node's services: routes each (local handlers only), reads its
 * request from the wire, runs it as any local call runs, and writes the outcome back as wire
 * responses. Thread-safe.
 */
final class PeerServer {
  /** Bounds {@link #okHeaders}: reply types come from code, but dynamic messages may be many. */
  private static final int MAX_REPLY_TYPES = 1024;

  /**
   * Payloads up to this size (a lane's largest) are parsed in microseconds: the deadline routing
   * checked still holds for the handler. Larger ones, and compressed ones, are checked again.
   */
  private static final int QUICK_PARSE_BYTES = 64 * 1024;

  private final Router router;
  private final LocalCalls calls;
  private final Compression compression;

  /** Successful replies' headers by reply type: every call of a method has the same. */
  private final LookupCache<Descriptors.Descriptor, Response> okHeaders =
      new LookupCache<>(MAX_REPLY_TYPES, PeerServer::okHeader);

  /**
   * @param compression the encodings requests may arrive in and replies be sent in
   */
  PeerServer(Router router, LocalCalls calls, Compression compression) {
    this.router = router;
    this.calls = calls;
    this.compression = compression;
  }

  /** A peer's unary call; the returned future is cancelled when the caller goes away. */
  CompletableFuture<Reply> unary(Request request) {
    Router.Route route = router.routeInbound(request);
    if (!(route instanceof Router.Local local)) {
      return CompletableFuture.failedFuture(((Router.Refused) route).status().asException());
    }
    Message payload;
    try {
      payload = Messages.parse(compression.requestPayload(request), requestPrototype(local));
    } catch (StatusException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Routing read the clock, and a handler run inline trusts that reading; decoding a compressed
    // or large payload since may have taken long enough for the deadline to pass.
    if ((!request.getPayloadEncoding().isEmpty() || request.getPayload().size() > QUICK_PARSE_BYTES)
        && local.deadline().isExpired()) {
      return CompletableFuture.failedFuture(
          Deadlines.passedBeforeStart(local.action().value().path()).asException());
    }
    ReplyMetadata metadata = new ReplyMetadata();
    Metadata headers =
        request.getPayloadEncoding().isEmpty()
            ? WireMetadata.read(request.getMetadataList(), request.getBinaryMetadataList())
            : WireMetadata.read(request.getMetadataList(), request.getBinaryMetadataList())
                .merge(
                    Metadata.builder()
                        .put(Compression.ENCODING_KEY, request.getPayloadEncoding())
                        .build());
    CompletableFuture<Message> result = calls.unary(local, payload, headers, null, metadata);
    if (result.isDone() && !result.isCompletedExceptionally()) {
      // Replied already (a handler run inline): nothing left to cancel, no stage to chain.
      return CompletableFuture.completedFuture(reply(request, metadata, result.join()));
    }
    CompletableFuture<Reply> response =
        result.handle(
            (reply, error) ->
                error != null
                    ? Reply.of(
                        metadata.writeEnd(
                            WireStatus.toResponse(Status.fromThrowable(error)), false))
                    : reply(request, metadata, reply));
    response.whenComplete(
        (r, e) -> {
          if (response.isCancelled()) {
            result.cancel(false); // the caller cancelled, or its connection was lost
          }
        });
    return response;
  }

  /** The reply to {@code request} carrying {@code reply}, with the call's headers and trailers. */
  private Reply reply(Request request, ReplyMetadata metadata, Message reply) {
    Response header = metadata.writeEnd(okHeaders.get(reply.getDescriptorForType()), false);
    return compression.reply(request, header, reply);
  }

  /**
   * A peer's streaming call: requests parsed from {@code stream}'s inbound, responses serialized to
   * its outbound.
   */
  void stream(Request header, CallStream stream) {
    Flow.Subscriber<Message> responses =
        new MappingSubscriber<>(stream.outbound(), Message::toByteString);
    Router.Route route = router.routeInbound(header);
    if (!(route instanceof Router.Local local)) {
      FailedPublisher.fail(responses, ((Router.Refused) route).status().asException());
      return;
    }
    Message prototype = requestPrototype(local);
    Flow.Publisher<Message> requests =
        subscriber ->
            stream
                .inbound()
                .subscribe(
                    new MappingSubscriber<>(subscriber, bytes -> Messages.parse(bytes, prototype)));
    calls.stream(
        local,
        requests,
        WireMetadata.read(header.getMetadataList(), header.getBinaryMetadataList()),
        null,
        responses,
        stream.replyMetadata());
  }

  /** The header of a successful reply of {@code type}. */
  private static Response okHeader(Descriptors.Descriptor type) {
    return Response.newBuilder().setTypeName(type.getFullName()).build();
  }

  private static Message requestPrototype(Router.Local route) {
    return route.action().value().method().descriptor().requestPrototype();
  }
}
