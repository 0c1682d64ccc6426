package dev.runar;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Message;
import dev.runar.registry.proto.ListServicesRequest;
import dev.runar.network.CallStream;
import dev.runar.network.PeerRegistry;
import dev.runar.network.WireStatus;
import dev.runar.registry.Match;
import dev.runar.registry.TopicPath;
import dev.runar.stub.Publishers;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Runar node: hosts services addressed by path, routes requests to them, and runs an event bus
 * with wildcard subscriptions. A node with no networking configured is a complete local service
 * host.
 *
 * <p><b>Lifecycle.</b> Services may be added and removed at any time before {@link #stop()}.
 * {@link #request} and {@link #publish} need a started node and otherwise fail with {@link
 * Status.Code#UNAVAILABLE}. {@code start()} and {@code stop()} are idempotent and thread-safe; a
 * stopped node does not restart.
 *
 * <p><b>Threading.</b> Handlers and subscribers run on the node's executor ({@link
 * NodeConfig.Builder#executor}), never on the caller's or publisher's thread unless {@link
 * NodeConfig.Builder#directExecution} is set. A call's future completes on the thread that
 * finished the handler (or on the node's timer thread when the deadline fires): attach blocking
 * continuations with the {@code *Async} variants and an executor of your own. Each subscriber
 * receives its events one at a time, in publish order.
 *
 * <p><b>Errors.</b> Every failure reaches the caller as a {@link StatusException}: NOT_FOUND for a
 * path no service serves, DEADLINE_EXCEEDED when the deadline passes first, INVALID_ARGUMENT for a
 * malformed path or a request of the wrong type, RESOURCE_EXHAUSTED when the executor is full, and
 * INTERNAL (or the handler's own status) when a handler fails. A failing call affects only its
 * caller.
 */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private final NodeConfig config;
  private final Executor executor;
  private final Executor callbacks;
  private final List<ExecutorService> ownedExecutors = new ArrayList<>();
  private final ScheduledThreadPoolExecutor timer;
  private final ServiceRegistry registry = new ServiceRegistry();
  private final PathCache paths;
  private final EventBus events;
  private final Set<InFlightCall> inFlight = ConcurrentHashMap.newKeySet();
  private final NetworkNode network;
  private final PeerRegistry localOnlyPeers = new PeerRegistry();
  private final Object lifecycleLock = new Object();
  private volatile State state = State.NEW;

  private Node(NodeConfig config) {
    this.config = config;
    this.paths = new PathCache(config.networkId());
    this.timer =
        new ScheduledThreadPoolExecutor(1, threads("runar-" + shortId() + "-timer-%d"));
    timer.setRemoveOnCancelPolicy(true);
    ownedExecutors.add(timer);
    this.executor = config.directExecution() ? MoreExecutors.directExecutor() : userOrOwnExecutor();
    this.callbacks = config.directExecution() ? MoreExecutors.directExecutor() : ownCallbackPool();
    this.events = new EventBus(executor, config.maxRetainedEvents(), this::capabilitiesChanged);
    this.network =
        config
            .transport()
            .map(t -> new NetworkNode(this, t, config.discovery().orElse(null), timer))
            .orElse(null);
    addService(RegistryService.definition(this));
  }

  /** A node with {@code config}; call {@link #start()} before making calls. */
  public static Node create(NodeConfig config) {
    return new Node(Objects.requireNonNull(config, "config"));
  }

  /** A local node with default settings. */
  public static Node create() {
    return create(NodeConfig.builder().build());
  }

  public NodeConfig config() {
    return config;
  }

  public String nodeId() {
    return config.nodeId();
  }

  /** Starts the node and every service added so far, in the order they were added. */
  public Node start() {
    synchronized (lifecycleLock) {
      if (state == State.RUNNING) {
        return this;
      }
      if (state != State.NEW) {
        throw new IllegalStateException("node " + nodeId() + " was stopped and cannot restart");
      }
      registry.services().forEach(HostedService::start);
      state = State.RUNNING;
      if (network != null) {
        try {
          network.start();
        } catch (Exception e) {
          stop();
          throw new IllegalStateException("node " + nodeId() + " could not start networking", e);
        }
      }
      log.info("node {} started on network {}", nodeId(), config.networkId());
      return this;
    }
  }

  /**
   * Stops the node: new calls fail with UNAVAILABLE at once, calls in flight get the configured
   * grace period to finish and are then failed with UNAVAILABLE, services stop in reverse order,
   * and the executors the node created shut down. Returns when all of that is done; concurrent
   * callers wait for the first.
   */
  public void stop() {
    synchronized (lifecycleLock) {
      if (state == State.STOPPED) {
        return;
      }
      boolean wasRunning = state == State.RUNNING;
      state = State.STOPPING;
      if (network != null && wasRunning) {
        network.stop(); // goodbye first, so peers stop routing here while calls drain
      }
      drainInFlight(config.shutdownGracePeriod());
      registry.services().reverse().forEach(HostedService::stop);
      ownedExecutors.forEach(ExecutorService::shutdownNow);
      state = State.STOPPED;
      if (wasRunning) {
        log.info("node {} stopped", nodeId());
      }
    }
  }

  public boolean isRunning() {
    return state == State.RUNNING;
  }

  /** Adds a service built by a generated server base (or any {@link BindableService}). */
  public void addService(BindableService service) {
    addService(service.bindService());
  }

  /**
   * Adds a service: runs its {@code init} hook, registers its actions, and starts it when the node
   * is running.
   *
   * @throws IllegalArgumentException when its path or one of its action paths is taken
   * @throws IllegalStateException when the node is stopping or stopped, or {@code init} fails
   */
  public void addService(ServiceDefinition definition) {
    HostedService service = new HostedService(definition, config.networkId());
    synchronized (lifecycleLock) {
      checkNotStopped();
      try {
        service.init(this);
      } catch (Exception e) {
        throw new IllegalStateException("init of service " + service.path() + " failed", e);
      }
      registry.add(service);
      if (state == State.RUNNING) {
        service.start();
      }
    }
    capabilitiesChanged();
    log.debug("node {} added service {}", nodeId(), service.path());
  }

  /**
   * Removes the service at {@code path}: new calls to it fail with NOT_FOUND; calls already running
   * finish. Runs its stop hook.
   *
   * @return whether a service was there
   */
  public boolean removeService(String path) {
    Optional<HostedService> removed = registry.remove(TopicPath.parse(path, config.networkId()));
    removed.ifPresent(HostedService::stop);
    if (removed.isPresent()) {
      capabilitiesChanged();
    }
    return removed.isPresent();
  }

  /** Sends {@code request} to the action at {@code path} with the default options. */
  public CompletableFuture<Message> request(String path, Message request) {
    return request(path, request, CallOptions.DEFAULT);
  }

  /**
   * Sends {@code request} to the action at {@code path} ({@code [network:]service/action}). The
   * reply is the handler's message object itself when the action is local.
   */
  public CompletableFuture<Message> request(String path, Message request, CallOptions options) {
    return dispatch(path, request, options, null);
  }

  /** Calls {@code method} with a typed reply; what generated stubs use. */
  public <ReqT extends Message, RespT extends Message> CompletableFuture<RespT> call(
      MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    return dispatch(method.path(), request, options, method.responsePrototype());
  }

  /**
   * Starts a streaming call (client, server or bidirectional streaming) when the returned
   * publisher is subscribed to: {@code requests} is sent as the callee demands it, responses
   * arrive as the subscriber demands them. The call's deadline is fixed at subscription; the
   * subscriber's cancel cancels the call on the callee. A failed call ends with a {@link
   * StatusException}. What generated streaming stubs use.
   */
  public <ReqT extends Message, RespT extends Message> Flow.Publisher<RespT> stream(
      MethodDescriptor<ReqT, RespT> method, Flow.Publisher<ReqT> requests, CallOptions options) {
    Objects.requireNonNull(requests, "requests");
    return subscriber -> {
      Deadline deadline = options.effectiveDeadline(config.requestTimeout());
      TopicPath target;
      try {
        target = callTarget(method.path());
      } catch (StatusException e) {
        Publishers.<RespT>failed(e).subscribe(subscriber);
        return;
      }
      Status refused = refusal(deadline);
      if (refused != null) {
        Publishers.<RespT>failed(refused.asException()).subscribe(subscriber);
        return;
      }
      Optional<Match<HostedService.Action>> route = registry.route(target);
      if (route.isPresent()) {
        startLocalStream(route.get(), target, requests, deadline, options.metadata(), method.responsePrototype(), subscriber);
      } else if (network == null
          || !network.stream(target, method, requests, deadline, options.metadata(), subscriber)) {
        Publishers.<RespT>failed(Status.NOT_FOUND.withDescription("no service serves " + target).asException())
            .subscribe(subscriber);
      }
    };
  }

  /** Runs a streaming call on a local handler: for local callers and peers' streams alike. */
  <RespT extends Message> void startLocalStream(
      Match<HostedService.Action> route,
      TopicPath target,
      Flow.Publisher<? extends Message> requests,
      Deadline deadline,
      ImmutableMap<String, String> metadata,
      RespT responsePrototype,
      Flow.Subscriber<? super RespT> subscriber) {
    HostedService.Action action = route.value();
    Status refused = shapeRefusal(action, false);
    if (refused != null) {
      Publishers.<RespT>failed(refused.asException()).subscribe(subscriber);
      return;
    }
    CallContext context = new CallContext(target, route.params(), deadline, metadata);
    StreamCall.RequestRelay<Message> relayed = new StreamCall.RequestRelay<>(upcast(requests));
    StreamCall<RespT> call =
        new StreamCall<>(action.path(), deadline, responsePrototype, subscriber, context::cancel);
    // Read the requests from now on, as a remote call does, and stop when the call ends.
    relayed.start();
    call.completion().whenComplete((ignored, failure) -> relayed.cancel());
    track(call);
    call.start(executor, timer, () -> context.runWith(() -> invokeStreaming(action.method(), relayed, context)));
  }

  /** Starts a streaming call whose responses come from a peer (see NetworkNode). */
  <RespT extends Message> void startRemoteStream(
      Object what,
      Deadline deadline,
      RespT responsePrototype,
      Flow.Subscriber<? super RespT> subscriber,
      Flow.Publisher<? extends Message> responses,
      Runnable cancelRemote) {
    StreamCall<RespT> call = new StreamCall<>(what, deadline, responsePrototype, subscriber, cancelRemote);
    track(call);
    call.start(callbacks, timer, () -> responses);
  }

  private void track(InFlightCall call) {
    inFlight.add(call);
    call.completion().whenComplete((r, t) -> inFlight.remove(call));
    if (state != State.RUNNING) {
      call.fail(Status.UNAVAILABLE.withDescription("node " + nodeId() + " is stopping"));
    }
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
        subscriber -> requests.subscribe(new StreamCall.Mapping<>(subscriber, m -> Messages.coerce(m, prototype)));
    return method.streaming().handle(typed, context);
  }

  /**
   * Serves a peer's streaming call on a local service: requests parsed from {@code stream}'s
   * inbound, responses serialized to its outbound.
   */
  void serveRemoteStream(Request header, CallStream stream) {
    Flow.Subscriber<Message> responses = new StreamCall.Mapping<>(stream.outbound(), Message::toByteString);
    InboundCall call = inboundCall(header);
    if (call.refusal() != null) {
      Publishers.<Message>failed(call.refusal().asException()).subscribe(responses);
      return;
    }
    Message prototype = call.route().value().method().descriptor().requestPrototype();
    Flow.Publisher<Message> requests =
        subscriber ->
            stream.inbound().subscribe(new StreamCall.Mapping<>(subscriber, bytes -> Messages.parse(bytes, prototype)));
    startLocalStream(call.route(), call.target(), requests, call.deadline(), call.metadata(), null, responses);
  }

  /** A peer's call, resolved to a local action, or the reason it is refused. */
  private record InboundCall(
      TopicPath target,
      Match<HostedService.Action> route,
      Deadline deadline,
      ImmutableMap<String, String> metadata,
      Status refusal) {
    static InboundCall refused(Status refusal) {
      return new InboundCall(null, null, null, null, refusal);
    }
  }

  /**
   * Where a peer's call goes: a local service only (never forwarded to another peer), with the
   * caller's deadline from the time it had left; an expired call is refused, not started.
   */
  private InboundCall inboundCall(Request header) {
    TopicPath target;
    try {
      target = paths.parse(header.getPath());
    } catch (IllegalArgumentException e) {
      return InboundCall.refused(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
    }
    if (target.isPattern()) {
      return InboundCall.refused(
          Status.INVALID_ARGUMENT.withDescription("cannot call a pattern: " + header.getPath()));
    }
    Deadline deadline = Deadline.after(header.getTimeoutMicros(), TimeUnit.MICROSECONDS);
    Status refused = refusal(deadline);
    if (refused != null) {
      return InboundCall.refused(WireStatus.notStarted(refused));
    }
    Optional<Match<HostedService.Action>> route = registry.route(target);
    if (route.isEmpty()) {
      // Not started: another provider may still serve it (this one just removed the service).
      return InboundCall.refused(
          WireStatus.notStarted(
              Status.NOT_FOUND.withDescription("no service serves " + target + " on node " + nodeId())));
    }
    // The same refusal, word for word, as a local call with a request of the wrong type gets.
    String expected =
        route.get().value().method().descriptor().requestPrototype().getDescriptorForType().getFullName();
    if (!expected.equals(header.getTypeName())) {
      return InboundCall.refused(
          Status.INVALID_ARGUMENT.withDescription(
              "expected a " + expected + " but got a " + header.getTypeName()));
    }
    return new InboundCall(target, route.get(), deadline, ImmutableMap.copyOf(header.getMetadataMap()), null);
  }

  /** Why {@code action} cannot take a call of this shape now, or null. */
  private static Status shapeRefusal(HostedService.Action action, boolean unary) {
    if (action.service().state() != ServiceState.RUNNING) {
      return WireStatus.notStarted(
          Status.UNAVAILABLE.withDescription("service " + action.service().path() + " is not running"));
    }
    if (action.method().isUnary() != unary) {
      return Status.UNIMPLEMENTED.withDescription(
          action.path() + " is a " + action.method().descriptor().type() + " action, called as "
              + (unary ? "unary" : "a stream"));
    }
    return null;
  }

  private <RespT extends Message> CompletableFuture<RespT> dispatch(
      String path, Message request, CallOptions options, RespT responsePrototype) {
    Objects.requireNonNull(request, "request");
    Deadline deadline = options.effectiveDeadline(config.requestTimeout());
    TopicPath target;
    try {
      target = callTarget(path);
    } catch (StatusException e) {
      return CompletableFuture.failedFuture(e);
    }
    Status refused = refusal(deadline);
    if (refused != null) {
      return failed(refused);
    }
    Optional<Match<HostedService.Action>> route = registry.route(target);
    if (route.isPresent()) {
      return startLocal(route.get(), target, request, deadline, options.metadata(), responsePrototype);
    }
    CompletableFuture<RespT> remote =
        network == null
            ? null
            : network.call(target, request, deadline, options.metadata(), responsePrototype);
    return remote != null
        ? remote
        : failed(Status.NOT_FOUND.withDescription("no service serves " + target));
  }

  /**
   * The concrete path a call goes to.
   *
   * @throws StatusException INVALID_ARGUMENT for a malformed path or a pattern
   */
  private TopicPath callTarget(String path) {
    TopicPath target = parseOrInvalid(path);
    if (target.isPattern()) {
      throw Status.INVALID_ARGUMENT.withDescription("cannot call a pattern: " + path).asException();
    }
    return target;
  }

  /** Why a call must not start now, or null. */
  private Status refusal(Deadline deadline) {
    if (state != State.RUNNING) {
      return Status.UNAVAILABLE.withDescription("node " + nodeId() + " is not running");
    }
    if (deadline.isExpired()) {
      return Status.DEADLINE_EXCEEDED.withDescription("deadline passed before the call started");
    }
    return null;
  }

  /** Runs a call on a local handler: the one path for local callers and for peers' requests. */
  private <RespT extends Message> CompletableFuture<RespT> startLocal(
      Match<HostedService.Action> route,
      TopicPath target,
      Message request,
      Deadline deadline,
      ImmutableMap<String, String> metadata,
      RespT responsePrototype) {
    HostedService.Action action = route.value();
    Status refused = shapeRefusal(action, true);
    if (refused != null) {
      return failed(refused);
    }
    CallContext context = new CallContext(target, route.params(), deadline, metadata);
    LocalCall<RespT> call = new LocalCall<>(action, request, context, responsePrototype);
    inFlight.add(call);
    call.result().whenComplete((r, t) -> inFlight.remove(call));
    if (state != State.RUNNING) { // stop() began after the check: don't start it
      call.fail(WireStatus.notStarted(Status.UNAVAILABLE.withDescription("node " + nodeId() + " is stopping")));
    } else {
      call.start(executor, timer);
    }
    return call.result();
  }

  /** Serves a peer's unary request on a local service (see {@link #inboundCall}). */
  CompletableFuture<Response> serveRemote(Request request) {
    InboundCall call = inboundCall(request);
    if (call.refusal() != null) {
      return CompletableFuture.completedFuture(WireStatus.toResponse(call.refusal()));
    }
    Message payload;
    try {
      payload = Messages.parse(request.getPayload(), call.route().value().method().descriptor().requestPrototype());
    } catch (StatusException e) {
      return CompletableFuture.completedFuture(WireStatus.toResponse(e.status()));
    }
    CompletableFuture<Message> local =
        startLocal(call.route(), call.target(), payload, call.deadline(), call.metadata(), null);
    CompletableFuture<Response> response =
        local.handle(
            (reply, error) ->
                error != null
                    ? WireStatus.toResponse(Status.fromThrowable(error))
                    : Response.newBuilder()
                        .setTypeName(reply.getDescriptorForType().getFullName())
                        .setPayload(reply.toByteString())
                        .build());
    response.whenComplete(
        (r, e) -> {
          if (response.isCancelled()) {
            local.cancel(false); // the caller cancelled, or its connection was lost
          }
        });
    return response;
  }

  /**
   * Asks the connected peer {@code peerId} for the proto descriptors of the services it hosts:
   * what its {@code $registry/services/descriptors} answers (every file, imports first). This is
   * how a gRPC gateway or a CLI learns to read and write the messages of a peer's services, which
   * the peer's advertised capabilities name but do not describe. The call goes to that peer only.
   *
   * @return fails with NOT_FOUND when that peer is not connected (or this node has no networking)
   */
  public CompletableFuture<FileDescriptorSet> peerDescriptors(String peerId, CallOptions options) {
    Objects.requireNonNull(peerId, "peerId");
    Deadline deadline = options.effectiveDeadline(config.requestTimeout());
    Status refused = refusal(deadline);
    if (refused != null) {
      return failed(refused);
    }
    MethodDescriptor<ListServicesRequest, FileDescriptorSet> method = RegistryService.DESCRIPTORS;
    CompletableFuture<FileDescriptorSet> reply =
        network == null
            ? null
            : network.callPeer(
                peerId,
                paths.parse(method.path()),
                ListServicesRequest.getDefaultInstance(),
                deadline,
                method.responsePrototype());
    return reply != null
        ? reply
        : failed(Status.NOT_FOUND.withDescription("peer " + peerId + " is not connected"));
  }

  /** Publishes {@code payload} on the concrete {@code topic}. */
  public void publish(String topic, Message payload) {
    Objects.requireNonNull(payload, "payload");
    TopicPath path = parseOrInvalid(topic);
    if (path.isPattern()) {
      throw Status.INVALID_ARGUMENT.withDescription("cannot publish to a pattern: " + topic).asException();
    }
    if (state != State.RUNNING) {
      throw Status.UNAVAILABLE.withDescription("node " + nodeId() + " is not running").asException();
    }
    if (network != null) {
      network.checkEventSize(payload); // before anyone receives it: all or nothing
    }
    events.publish(path, payload);
    if (network != null) {
      network.forward(path, payload);
    }
  }

  /** Delivers a peer's event to local subscribers only (events are never forwarded on). */
  void deliverRemoteEvent(dev.runar.wire.Event event) {
    if (state != State.RUNNING) {
      return;
    }
    TopicPath topic;
    try {
      topic = paths.parse(event.getTopic());
    } catch (IllegalArgumentException e) {
      log.warn("dropped a peer's event with a malformed topic '{}'", event.getTopic());
      return;
    }
    events.publish(topic, Messages.wrap(event.getTypeName(), event.getPayload()));
  }

  /** Publishes a typed event. */
  public <T extends Message> void publish(Topic<T> topic, T payload) {
    publish(topic.path(), payload);
  }

  /** Subscribes {@code handler} to every event whose topic matches {@code pattern}. */
  public Subscription subscribe(String pattern, EventHandler handler) {
    return subscribe(pattern, SubscribeOptions.DEFAULT, handler);
  }

  /** Subscribes {@code handler} to every event whose topic matches {@code pattern}. */
  public Subscription subscribe(String pattern, SubscribeOptions options, EventHandler handler) {
    Objects.requireNonNull(handler, "handler");
    checkNotStopped();
    return events.subscribe(parseOrInvalid(pattern), options, handler);
  }

  /** Subscribes to a typed topic; {@code handler} receives the message type itself. */
  public <T extends Message> Subscription subscribe(Topic<T> topic, Consumer<T> handler) {
    return subscribe(topic, SubscribeOptions.DEFAULT, handler);
  }

  /** Subscribes to a typed topic; {@code handler} receives the message type itself. */
  public <T extends Message> Subscription subscribe(
      Topic<T> topic, SubscribeOptions options, Consumer<T> handler) {
    Objects.requireNonNull(handler, "handler");
    return subscribe(
        topic.path(), options, event -> handler.accept(event.payload(topic.messageClass())));
  }

  /**
   * The peers this node knows of and their state, with listeners for changes (discovered,
   * connecting, connected, disconnected, lost). Empty for a node without networking.
   */
  public PeerRegistry peers() {
    return network != null ? network.peers() : localOnlyPeers;
  }

  /** The services hosted here, in the order they were added. */
  ImmutableList<HostedService> services() {
    return registry.services();
  }

  /** Patterns local subscribers listen to. */
  com.google.common.collect.ImmutableSet<TopicPath> eventPatterns() {
    return events.patterns();
  }

  Executor executor() {
    return executor;
  }

  /**
   * Where replies from peers complete and stream messages from peers are delivered: a pool of its
   * own, so that handlers blocked on calls to other nodes can never hold up the replies they wait
   * for (or the direct executor in direct mode).
   */
  Executor callbacks() {
    return callbacks;
  }

  private void capabilitiesChanged() {
    // Runs from the constructor too (the registry service): network may not be assigned yet.
    NetworkNode net = network;
    if (net != null) {
      net.capabilitiesChanged();
    }
  }

  Optional<HostedService> service(String path) {
    return registry.get(TopicPath.parse(path, config.networkId()));
  }

  private void drainInFlight(Duration grace) {
    List<CompletableFuture<?>> pending = new ArrayList<>();
    inFlight.forEach(c -> pending.add(c.completion()));
    if (pending.isEmpty()) {
      return;
    }
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .get(grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Timed out (or some calls failed, which is fine): whatever still runs is cancelled below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Status stopped = Status.UNAVAILABLE.withDescription("node " + nodeId() + " stopped during the call");
    inFlight.forEach(c -> c.fail(stopped));
  }

  private TopicPath parseOrInvalid(String path) {
    try {
      return paths.parse(path);
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
    }
  }

  private void checkNotStopped() {
    if (state == State.STOPPING || state == State.STOPPED) {
      throw new IllegalStateException("node " + nodeId() + " is stopped");
    }
  }

  private Executor userOrOwnExecutor() {
    Optional<Executor> supplied = config.executor();
    if (supplied.isPresent()) {
      return supplied.get();
    }
    int max = config.maxHandlerThreads();
    int core = Math.min(max, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    ElasticThreadPool pool =
        ElasticThreadPool.create(core, max, 10_000, "runar-" + shortId() + "-worker-%d");
    ownedExecutors.add(pool);
    return pool;
  }

  private Executor ownCallbackPool() {
    ElasticThreadPool pool =
        ElasticThreadPool.create(2, 256, 100_000, "runar-" + shortId() + "-callback-%d");
    ownedExecutors.add(pool);
    return pool;
  }

  private String shortId() {
    String id = nodeId();
    return id.length() <= 8 ? id : id.substring(0, 8);
  }

  private static java.util.concurrent.ThreadFactory threads(String nameFormat) {
    return new ThreadFactoryBuilder().setNameFormat(nameFormat).setDaemon(true).build();
  }

  private static <T> CompletableFuture<T> failed(Status status) {
    return CompletableFuture.failedFuture(status.asException());
  }

  @Override
  public String toString() {
    return "Node[" + nodeId() + " on " + config.networkId() + ", " + state + "]";
  }
}
