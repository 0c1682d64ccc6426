package dev.runar;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.runar.internal.CallFuture;
import dev.runar.internal.LookupCache;
import dev.runar.internal.WireMetadata;
import dev.runar.network.CallStream;
import dev.runar.network.Payload;
import dev.runar.network.PeerConnection;
import dev.runar.network.ReplyMetadata;
import dev.runar.network.ResponseListener;
import dev.runar.network.SentCall;
import dev.runar.network.WireStatus;
import dev.runar.registry.TopicPath;
import dev.runar.wire.MethodType;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import io.netty.util.Timeout;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's calls to services its peers provide: picks a provider ({@link RemoteRoutes}), sends
 * the call with its deadline as the time left, sends a unary call that a provider refused unstarted
 * on to the next one, and turns the reply into the caller's message or status. Thread-safe.
 */
final class RemoteCalls {
  private static final Logger log = LoggerFactory.getLogger(RemoteCalls.class);

  /** Providers a call that was refused before it started is offered to, at most. */
  private static final int MAX_ATTEMPTS = 5;

  private final RemoteRoutes routes;
  private final LocalCalls calls;
  private final ScheduledExecutorService timer;
  private final Compression compression;

  /**
   * Headers of unary calls without metadata, built once per path, request type and reply encoding
   * (building and encoding a header per call was about a fifth of the calling thread's Java).
   */
  private final LookupCache<UnaryHeader, Request> unaryHeaders =
      new LookupCache<>(ServiceRegistry.MAX_CACHED_ROUTES, RemoteCalls::unaryHeader);

  /**
   * @param calls where a remote stream's caller end is tracked and delivered
   * @param timer the node's timer, for deadline expiries
   * @param compression how replies' payloads are read
   */
  RemoteCalls(
      RemoteRoutes routes,
      LocalCalls calls,
      ScheduledExecutorService timer,
      Compression compression) {
    this.routes = routes;
    this.calls = calls;
    this.timer = timer;
    this.compression = compression;
  }

  /** The providers of paths among the connected peers, and how one is chosen. */
  RemoteRoutes routes() {
    return routes;
  }

  /**
   * Calls the action at {@code target} on a peer that provides it, round-robin among them; empty
   * when no connected peer does. A call that a provider refused before it started (it is stopping)
   * or that could not be sent goes to the next provider, within the call's deadline: like gRPC's
   * transparent retry, this never runs a call twice. {@code attempt}: the provider chosen for it,
   * if any, else one earlier attempts of the call have not tried when there is one.
   */
  <RespT extends Message> Optional<CompletableFuture<RespT>> call(
      Router.Remote route,
      Message request,
      Metadata metadata,
      RespT responsePrototype,
      ReplyMetadata reply,
      CallAttempt attempt) {
    TopicPath target = route.target();
    Deadline deadline = route.deadline();
    Optional<RemoteService.Action> action =
        attempt.provider().or(() -> routes.choose(target, attempt.tried(), false).flatMap(a -> a));
    if (action.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        start(
            target,
            request,
            deadline,
            route.clockNanos(),
            metadata,
            responsePrototype,
            action.get().service().connection(),
            attempt,
            false,
            reply));
  }

  /**
   * Calls {@code target} on the connected peer {@code peerId} itself, whether or not the peer
   * advertises it ({@code $registry} included), and never on another provider; empty when that peer
   * is not connected.
   */
  <RespT extends Message> Optional<CompletableFuture<RespT>> callPeer(
      String peerId,
      TopicPath target,
      Message request,
      Deadline deadline,
      Metadata metadata,
      RespT responsePrototype) {
    Optional<PeerConnection> connection = routes.connection(peerId);
    if (connection.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        start(
            target,
            request,
            deadline,
            System.nanoTime(),
            metadata,
            responsePrototype,
            connection.get(),
            CallAttempt.first(""),
            true,
            new ReplyMetadata()));
  }

  /**
   * Sends a unary call's first attempt on {@code connection}, with its deadline armed; {@code
   * pinned}: never offered to another provider. {@code now}: a reading of the clock just taken, for
   * the time left sent and the deadline armed.
   */
  private <RespT extends Message> CompletableFuture<RespT> start(
      TopicPath target,
      Message request,
      Deadline deadline,
      long now,
      Metadata metadata,
      RespT responsePrototype,
      PeerConnection connection,
      CallAttempt attempt,
      boolean pinned,
      ReplyMetadata reply) {
    String typeName = request.getDescriptorForType().getFullName();
    Request header =
        metadata.isEmpty()
            ? unaryHeaders.get(new UnaryHeader(target, typeName, attempt.compression()))
            : header(target, metadata, typeName, MethodType.UNARY)
                .setResponseEncoding(attempt.compression())
                .build();
    UnaryAttempts<RespT> attempts =
        new UnaryAttempts<>(
            target,
            header,
            Payload.of(request),
            deadline,
            responsePrototype,
            attempt.tried(),
            pinned,
            reply);
    attempts.arm(now);
    attempts.send(connection, timeoutMicros(deadline.nanosRemaining(now)));
    return attempts.result;
  }

  /** One unary call's attempts: the first provider, then others while it is refused unstarted. */
  private final class UnaryAttempts<RespT extends Message> {
    private final TopicPath target;
    private final Request header;
    private final Payload payload;
    private final Deadline deadline;
    private final RespT responsePrototype;

    /** The caller's future; completed from outside (deadline, cancel), it stops the attempt. */
    private final CallFuture<RespT> result = new CallFuture<>(e -> ended());

    private volatile Timeout timeout;

    /** The node ids the call's attempts went to, policy retries' included. */
    private final Set<String> tried;

    private final AtomicInteger sent = new AtomicInteger();
    private final ReplyMetadata reply;

    /** The attempt in flight. */
    private volatile Attempt current;

    /** A call to one peer in particular: never offered to another provider. */
    private final boolean pinned;

    UnaryAttempts(
        TopicPath target,
        Request header,
        Payload payload,
        Deadline deadline,
        RespT responsePrototype,
        Set<String> tried,
        boolean pinned,
        ReplyMetadata reply) {
      this.target = target;
      this.reply = reply;
      this.header = header;
      this.payload = payload;
      this.deadline = deadline;
      this.responsePrototype = responsePrototype;
      this.tried = tried;
      this.pinned = pinned;
    }

    /** Sends an attempt to {@code connection}, {@code timeoutMicros} the time left it is told. */
    void send(PeerConnection connection, long timeoutMicros) {
      tried.add(connection.peerId());
      sent.incrementAndGet();
      Attempt attempt = new Attempt(routes.picker().health(), connection);
      current = attempt;
      Compression.Outgoing outgoing = Compression.forPeer(header, payload, connection.peerInfo());
      attempt.sent(connection.call(outgoing.header(), timeoutMicros, outgoing.payload(), attempt));
    }

    /** Arms the call's deadline, {@code now} a clock reading just taken. */
    void arm(long now) {
      timeout =
          Deadlines.arm(
              deadline, now, timer, () -> result.completeExceptionally(Deadlines.exceeded(target)));
    }

    /**
     * The caller's future was completed from outside (the deadline passed, the caller cancelled):
     * the attempt in flight is cancelled, which tells its peer.
     */
    private void ended() {
      disarm();
      Attempt attempt = current;
      if (attempt != null) {
        attempt.cancel();
      }
    }

    private void disarm() {
      Timeout armed = timeout;
      if (armed != null) {
        armed.cancel();
      }
    }

    private void succeed(RespT response) {
      result.settle(response);
      disarm();
    }

    private void fail(StatusException failure) {
      result.settleExceptionally(failure);
      disarm();
    }

    private void settle(Response response, Throwable error) {
      Status failure =
          error != null
              ? Status.fromThrowable(error)
              : response.getStatusCode() != Status.Code.OK.value()
                  ? WireStatus.fromResponse(response)
                  : Status.OK;
      if (response != null && !WireStatus.isNotStarted(failure)) {
        reply.readEnd(response);
      }
      if (failure.isOk()) {
        readReply(response);
      } else {
        retryOrFail(failure);
      }
    }

    /** Completes the call with the reply the provider sent. */
    private void readReply(Response response) {
      ByteString payload;
      try {
        payload = compression.replyPayload(response);
      } catch (StatusException e) {
        fail(e.status().augmentDescription(target.toString()).asException());
        return;
      }
      try {
        succeed(Messages.read(response.getTypeName(), payload, responsePrototype));
      } catch (StatusException e) {
        fail(
            Status.INTERNAL
                .withDescription(
                    target + " replied with the wrong type: " + e.status().description())
                .asException());
      }
    }

    /**
     * When the provider did not start the call and there is time: sends it again on the provider's
     * new connection if the one it went on was replaced (a duplicate closed, a connection its peer
     * gave up on), else to another provider if there is one. Fails it with {@code failure}
     * otherwise.
     */
    private void retryOrFail(Status failure) {
      if (!WireStatus.isNotStarted(failure)
          || result.isDone()
          || deadline.isExpired()
          || sent.get() >= MAX_ATTEMPTS) {
        fail(failure.asException(reply.trailers()));
        return;
      }
      PeerConnection previous = current.connection;
      Optional<PeerConnection> successor =
          routes.connection(previous.peerId()).filter(c -> c != previous && c.isOpen());
      if (successor.isPresent()) {
        log.debug(
            "{} was not started on a connection that was replaced ({}): sending it on the next",
            target,
            failure.description());
        send(successor.get(), timeoutMicros(deadline.nanosRemaining()));
        return;
      }
      if (!pinned) {
        Optional<RemoteService.Action> next = routes.pick(target, tried);
        if (next.isPresent()) {
          log.debug(
              "{} was not started by a provider ({}): trying another",
              target,
              failure.description());
          send(next.get().service().connection(), timeoutMicros(deadline.nanosRemaining()));
          return;
        }
      }
      fail(failure.asException(reply.trailers()));
    }

    /**
     * One attempt on one provider: records its outcome in the provider's health before the caller
     * hears it, so that the caller's next pick sees it.
     */
    private final class Attempt implements ResponseListener {
      private final ProviderHealth health;
      private final ProviderHealth.Provider provider;
      private final PeerConnection connection;
      private volatile SentCall call;
      private volatile boolean cancelled;

      Attempt(ProviderHealth health, PeerConnection connection) {
        this.health = health;
        this.connection = connection;
        this.provider = health.started(connection.peerId());
      }

      /**
       * The transport took it: cancelled at once if the caller's future completed while it started
       * (the caller gave up, or completed the call itself while a retry of it started).
       */
      void sent(SentCall sent) {
        call = sent;
        if (cancelled || result.isDone()) {
          cancel(); // nothing when this attempt itself completed the future
        }
      }

      void cancel() {
        cancelled = true;
        SentCall sent = call;
        if (sent != null) {
          sent.cancel(); // tells the peer, and this listener, unless the attempt ended
        }
      }

      @Override
      public void onResponse(Response response) {
        health.ended(provider, response, null, false);
        settle(response, null);
      }

      @Override
      public void onFailure(Throwable failure) {
        health.ended(provider, null, failure, failure instanceof CancellationException);
        settle(null, failure);
      }
    }
  }

  /**
   * A call's header, without its time left: the deadline travels as the time left (since clocks
   * differ), which unary calls give the transport apart and streaming calls set on the header.
   */
  private static Request.Builder header(
      TopicPath target, Metadata metadata, String typeName, MethodType type) {
    Request.Builder header =
        Request.newBuilder().setPath(target.toString()).setTypeName(typeName).setType(type);
    return header
        .addAllMetadata(WireMetadata.strings(metadata))
        .addAllBinaryMetadata(WireMetadata.binaries(metadata));
  }

  /** The header shared by the unary calls of {@code key} without metadata. */
  private static Request unaryHeader(UnaryHeader key) {
    return header(key.target, Metadata.EMPTY, key.typeName, MethodType.UNARY)
        .setResponseEncoding(key.responseEncoding)
        .build();
  }

  /**
   * What the header of a unary call without metadata is made of. A class rather than a record: a
   * record's equals and hashCode go through method handles, which the compiler did not inline this
   * deep in the call path.
   */
  private static final class UnaryHeader {
    private final TopicPath target;
    private final String typeName;
    private final String responseEncoding;

    UnaryHeader(TopicPath target, String typeName, String responseEncoding) {
      this.target = target;
      this.typeName = typeName;
      this.responseEncoding = responseEncoding;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof UnaryHeader other
          && target.equals(other.target)
          && typeName.equals(other.typeName)
          && responseEncoding.equals(other.responseEncoding);
    }

    @Override
    public int hashCode() {
      return (31 * target.hashCode() + typeName.hashCode()) * 31 + responseEncoding.hashCode();
    }
  }

  private static long timeoutMicros(long nanosLeft) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanosLeft));
  }

  /** Starts a streaming call to a peer that provides {@code target}; false when none does. */
  <ReqT extends Message, RespT extends Message> boolean stream(
      Router.Remote route,
      MethodDescriptor<ReqT, RespT> method,
      Flow.Publisher<ReqT> requests,
      Metadata metadata,
      Flow.Subscriber<? super RespT> subscriber,
      ReplyMetadata reply) {
    TopicPath target = route.target();
    Deadline deadline = route.deadline();
    Optional<RemoteService.Action> action = routes.pick(target, Set.of());
    if (action.isEmpty()) {
      return false;
    }
    Request header =
        header(
                target,
                metadata,
                method.requestPrototype().getDescriptorForType().getFullName(),
                MethodType.valueOf(method.type().name()))
            .setTimeoutMicros(timeoutMicros(deadline.nanosRemaining()))
            .build();
    CallStream stream = action.get().service().connection().openStream(header, reply);
    RespT prototype = method.responsePrototype();
    Flow.Publisher<RespT> responses =
        s ->
            stream
                .inbound()
                .subscribe(new MappingSubscriber<>(s, bytes -> Messages.parse(bytes, prototype)));
    calls.fromPeer(target, deadline, prototype, subscriber, responses, stream::cancel);
    requests.subscribe(new MappingSubscriber<>(stream.outbound(), Message::toByteString));
    return true;
  }
}
