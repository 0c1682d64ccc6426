package dev.runar;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Message;
import dev.runar.network.Peers;
import dev.runar.network.TransportStats;
import dev.runar.registry.TopicPath;
import dev.runar.registry.proto.ListServicesRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Runar node: hosts services addressed by path, routes requests to them, and runs an event bus
 * with wildcard subscriptions. A node with no networking configured is a complete local service
 * host.
 *
 * <p><b>Lifecycle.</b> Services may be added and removed at any time before {@link #stop()}. {@link
 * #request} and {@link #publish} need a started node and otherwise fail with {@link
 * Status.Code#UNAVAILABLE}. {@code start()} and {@code stop()} are idempotent and thread-safe; a
 * stopped node does not restart.
 *
 * <p><b>Threading.</b> Handlers and subscribers run on the node's executor ({@link
 * NodeConfig.Builder#executor}), never on the caller's or publisher's thread unless {@link
 * NodeConfig.Builder#directExecution} is set. A call's future completes on the thread that finished
 * the handler, or (for a call a peer served) on the node's callback pool, never a handler thread:
 * attach blocking continuations with the {@code *Async} variants and an executor of your own. Each
 * subscriber receives its events one at a time, in publish order.
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
  private final NodeExecutors executors;
  private final ServiceRegistry registry = new ServiceRegistry();
  private final PathCache paths;
  private final EventBus events;
  private final EventInterception eventInterception;
  private final InFlightCalls inFlight;
  private final Networking network;
  private final CallDispatcher dispatcher;
  private final Object lifecycleLock = new Object();
  private volatile State state = State.NEW;

  private Node(NodeConfig config) {
    this.config = config;
    this.paths = new PathCache(config.networkId());
    this.executors = new NodeExecutors(config);
    this.eventInterception =
        new EventInterception(config.eventInterceptors(), config.maxMetadataSize());
    this.events =
        new EventBus(
            executors.handlers(),
            eventInterception,
            config.maxRetainedEvents(),
            this::capabilitiesChanged);
    this.inFlight = new InFlightCalls(config.nodeId(), this::isRunning);
    Router router = new Router(config.nodeId(), paths, registry, this::isRunning);
    LocalCalls calls =
        new LocalCalls(
            executors.handlers(), executors.callbacks(), executors.timer(), inFlight, config);
    NetworkNode.Parts parts =
        new NetworkNode.Parts(
            config,
            registry,
            events,
            eventInterception,
            paths,
            calls,
            new PeerServer(router, calls, Compression.of(config)),
            executors.callbacks(),
            this::isRunning);
    this.network =
        config
            .transport()
            .<Networking>map(t -> new NetworkNode(parts, t, config.discovery(), executors.timer()))
            .orElseGet(Networking::localOnly);
    RoutedCalls routed =
        new RoutedCalls(config, router, calls, network.remoteCalls(), executors.timer());
    this.dispatcher = new CallDispatcher(config, paths, routed, network.remoteCalls());
    addService(RegistryService.definition(registry, config.networkId(), this::peers));
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
      tellExtensions(NodeExtension::onStart, "start"); // before networking: they hear every peer
      try {
        network.start();
      } catch (Exception e) {
        stop();
        throw new IllegalStateException("node " + nodeId() + " could not start networking", e);
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
      if (wasRunning) {
        network.stop(); // goodbye first, so peers stop routing here while calls drain
      }
      inFlight.drain(config.shutdownGracePeriod());
      registry.services().reverse().forEach(HostedService::stop);
      executors.shutdown();
      state = State.STOPPED;
      if (wasRunning) {
        log.info("node {} stopped", nodeId());
        tellExtensions(NodeExtension::onStop, "stop");
      }
    }
  }

  private void tellExtensions(BiConsumer<NodeExtension, Node> event, String what) {
    for (NodeExtension extension : config.extensions()) {
      try {
        event.accept(extension, this);
      } catch (RuntimeException e) {
        log.warn("extension {} failed on the {} of node {}", extension, what, nodeId(), e);
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
    return dispatcher.unary(path, request, options, false, null);
  }

  /** Calls {@code method} with a typed reply; what generated stubs use. */
  public <ReqT extends Message, RespT extends Message> CompletableFuture<RespT> call(
      MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    return dispatcher.unary(
        method.path(), request, options, method.isIdempotent(), method.responsePrototype());
  }

  /**
   * Starts a streaming call (client, server or bidirectional streaming) when the returned publisher
   * is subscribed to: {@code requests} is sent as the callee demands it, responses arrive as the
   * subscriber demands them. The call's deadline is fixed at subscription; the subscriber's cancel
   * cancels the call on the callee. A failed call ends with a {@link StatusException}. What
   * generated streaming stubs use.
   */
  public <ReqT extends Message, RespT extends Message> Flow.Publisher<RespT> stream(
      MethodDescriptor<ReqT, RespT> method, Flow.Publisher<ReqT> requests, CallOptions options) {
    return dispatcher.stream(method, requests, options);
  }

  /**
   * Asks the connected peer {@code peerId} for the proto descriptors of the services it hosts (its
   * {@code $registry/services/descriptors}: every file, imports first), which a gRPC gateway or a
   * CLI needs to read and write a peer's messages. Fails with NOT_FOUND when that peer is not
   * connected.
   */
  public CompletableFuture<FileDescriptorSet> peerDescriptors(String peerId, CallOptions options) {
    return dispatcher.callPeer(
        peerId, RegistryService.DESCRIPTORS, ListServicesRequest.getDefaultInstance(), options);
  }

  /**
   * Calls {@code method} on the connected peer {@code peerId} and on no other node, even when
   * others (or this node) serve it too, and whether or not the peer advertises it: what tools that
   * address one node use, e.g. to ask its {@code $registry} (never routed) or to time a round trip
   * to it. Fails with NOT_FOUND when that peer is not connected.
   */
  public <ReqT extends Message, RespT extends Message> CompletableFuture<RespT> callPeer(
      String peerId, MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    return dispatcher.callPeer(peerId, method, request, options);
  }

  /** Publishes {@code payload} on the concrete {@code topic}. */
  public void publish(String topic, Message payload) {
    Objects.requireNonNull(payload, "payload");
    TopicPath path = parseOrInvalid(topic);
    if (path.isPattern()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("cannot publish to a pattern: " + topic)
          .asException();
    }
    if (state != State.RUNNING) {
      throw Status.UNAVAILABLE
          .withDescription("node " + nodeId() + " is not running")
          .asException();
    }
    network.checkEventSize(payload); // before anyone receives it: all or nothing
    Metadata metadata = eventInterception.onPublish(path, payload);
    events.publish(path, payload, metadata);
    network.forward(path, payload, metadata);
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
  public Peers peers() {
    return network.peers();
  }

  /**
   * What the transport measures of this node's connection to {@code peerId} now: RTT, congestion
   * window, packets and bytes sent, received and lost. Empty when the peer is not connected (or the
   * node has no networking, or its transport measures nothing).
   */
  public CompletableFuture<Optional<TransportStats>> transportStats(String peerId) {
    return network.transportStats(Objects.requireNonNull(peerId, "peerId"));
  }

  private void capabilitiesChanged() {
    network.capabilitiesChanged();
  }

  Optional<HostedService> service(String path) {
    return registry.get(TopicPath.parse(path, config.networkId()));
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

  @Override
  public String toString() {
    return "Node[" + nodeId() + " on " + config.networkId() + ", " + state + "]";
  }
}
