package dev.runar;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.Message;
import dev.runar.network.Addresses;
import dev.runar.discovery.NodeDiscovery;
import dev.runar.discovery.PeerAnnouncement;
import dev.runar.network.CallStream;
import dev.runar.network.InboundHandler;
import dev.runar.network.NetworkTransport;
import dev.runar.network.PeerConnection;
import dev.runar.network.PeerRegistry;
import dev.runar.network.WireStatus;
import dev.runar.registry.Match;
import dev.runar.registry.PathTrie;
import dev.runar.registry.TopicPath;
import dev.runar.wire.ActionCapability;
import dev.runar.wire.Event;
import dev.runar.wire.MethodType;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import dev.runar.wire.ServiceCapability;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's networked half: turns what discovery finds into connections (reconnecting with
 * exponential backoff and jitter), what peers advertise into {@link RemoteService} proxies and
 * remote subscriptions, and routes calls and events over the transport. Everything here runs only
 * when the node's configuration has a transport; a node without one never creates it.
 */
final class NetworkNode implements InboundHandler, NodeDiscovery.Listener {
  private static final Logger log = LoggerFactory.getLogger(NetworkNode.class);
  /** Providers a call that was refused before it started is offered to, at most. */
  private static final int MAX_ATTEMPTS = 5;

  private final Node node;
  private final NetworkTransport transport;
  private final NodeDiscovery discovery;
  private final ScheduledExecutorService timer;
  private final PeerRegistry peers = new PeerRegistry();
  private final PathTrie<RemoteService.Action> remoteActions = new PathTrie<>();
  private final PathTrie<String> remoteSubscriptions = new PathTrie<>();
  private final Map<String, RemotePeer> connected = new ConcurrentHashMap<>();
  private final Dialer dialer;
  private final AtomicLong capabilityVersion = new AtomicLong(1);
  private final AtomicInteger roundRobin = new AtomicInteger();
  private final long instanceId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  private volatile boolean running;
  private volatile InetSocketAddress listenAddress;

  /** What a connected peer contributes to this node's routing tables. */
  private record RemotePeer(
      PeerConnection connection,
      ImmutableMap<TopicPath, RemoteService.Action> actions,
      ImmutableSet<TopicPath> subscriptions,
      long capabilityVersion) {}

  NetworkNode(Node node, NetworkTransport transport, NodeDiscovery discovery, ScheduledExecutorService timer) {
    this.node = node;
    this.transport = transport;
    this.discovery = discovery;
    this.timer = timer;
    this.dialer = new Dialer(node.nodeId(), transport, timer, peers, this::isConnected);
  }

  PeerRegistry peers() {
    return peers;
  }

  void start() throws Exception {
    running = true;
    transport.start(this, node.callbacks());
    listenAddress = transport.localAddress();
    transport.updateLocalInfo(localInfo());
    if (discovery != null) {
      discovery.start(announcement(), this);
    }
    log.info("node {} listens on {}", node.nodeId(), transport.localAddress());
  }

  /** Goodbye to discovery and peers; calls in flight get the transport's grace period. */
  void stop() {
    running = false;
    dialer.stop();
    if (discovery != null) {
      discovery.close();
    }
    transport.close();
  }

  // ---- what this node advertises ----

  /** Services or subscriptions changed: tell peers and discovery. */
  void capabilitiesChanged() {
    capabilityVersion.incrementAndGet();
    if (!running) {
      return;
    }
    transport.updateLocalInfo(localInfo());
    if (discovery != null) {
      discovery.update(announcement());
    }
  }

  @Override
  public NodeInfo localInfo() {
    NodeInfo.Builder info =
        NodeInfo.newBuilder()
            .setNodeId(node.nodeId())
            .setNetworkId(node.config().networkId())
            .setProtocolVersion(1)
            .setCapabilityVersion(capabilityVersion.get())
            .setInstanceId(instanceId);
    InetSocketAddress address = listenAddress;
    if (address != null) {
      info.addListenAddresses(Addresses.format(address));
    }
    for (HostedService service : node.services()) {
      if (service.path().actionPath().startsWith("$")) {
        continue; // introspection is per node: never routed to a peer
      }
      ServiceCapability.Builder capability =
          ServiceCapability.newBuilder()
              .setPath(service.path().toString())
              .setName(service.definition().name())
              .setVersion(service.definition().version());
      for (HostedService.Action action : service.actions()) {
        MethodDescriptor<?, ?> m = action.method().descriptor();
        capability.addActions(
            ActionCapability.newBuilder()
                .setPath(action.path().toString())
                .setType(MethodType.valueOf(m.type().name()))
                .setRequestType(m.requestPrototype().getDescriptorForType().getFullName())
                .setResponseType(m.responsePrototype().getDescriptorForType().getFullName()));
      }
      info.addServices(capability);
    }
    node.eventPatterns().forEach(p -> info.addSubscriptions(p.toString()));
    return info.build();
  }

  /**
   * Refuses a peer whose advertised paths and patterns do not parse: its services could never be
   * routed, and accepting it would hide the fault.
   */
  @Override
  public Optional<Status> refusal(NodeInfo info) {
    String what = "";
    try {
      for (ServiceCapability service : info.getServicesList()) {
        what = "service path '" + service.getPath() + "'";
        TopicPath.parse(service.getPath());
        for (ActionCapability action : service.getActionsList()) {
          what = "action path '" + action.getPath() + "'";
          TopicPath.parse(action.getPath());
        }
      }
      for (String pattern : info.getSubscriptionsList()) {
        what = "subscription '" + pattern + "'";
        TopicPath.parse(pattern);
      }
    } catch (IllegalArgumentException e) {
      return Optional.of(
          Status.INVALID_ARGUMENT.withDescription(
              "node " + info.getNodeId() + " advertises a malformed " + what + ": " + e.getMessage()));
    }
    return Optional.empty();
  }

  private PeerAnnouncement announcement() {
    return new PeerAnnouncement(
        node.nodeId(),
        node.config().networkId(),
        List.of(listenAddress),
        capabilityVersion.get(),
        instanceId);
  }

  // ---- discovery → connections ----

  @Override
  public void discovered(PeerAnnouncement peer) {
    if (!running || peer.addresses().isEmpty() || peer.nodeId().equals(node.nodeId())) {
      return;
    }
    if (!peer.nodeId().isEmpty() && !isConnected(peer.nodeId())) {
      // A connected peer's addresses come from its authenticated NodeInfo, not from datagrams.
      peers.discovered(peer.nodeId(), peer.addresses(), peer.capabilityVersion());
    }
    dialer.dial(peer.addresses().get(0), peer.nodeId(), restarted(peer));
  }

  /**
   * Whether {@code peer} announces another instance than the one this node is connected to: it
   * restarted, and the open connection leads to its dead process. Dialing it then is only a
   * probe: the new connection replaces the old one only if its handshake authenticates the same
   * node id with the new instance.
   */
  private boolean restarted(PeerAnnouncement peer) {
    RemotePeer current = connected.get(peer.nodeId());
    return current != null
        && peer.instanceId() != 0
        && peer.instanceId() != current.connection().peerInfo().getInstanceId();
  }

  /**
   * Discovery no longer sees {@code nodeId}: stop dialing it. An open connection stays: discovery
   * is a hint, and whether a connected peer is alive is for the connection itself to tell.
   */
  @Override
  public void lost(String nodeId) {
    log.info("node {} lost peer {} from discovery", node.nodeId(), nodeId);
    dialer.forget(nodeId);
    if (!isConnected(nodeId)) {
      peers.remove(nodeId);
    }
  }

  private boolean isConnected(String peerId) {
    RemotePeer peer = peerId.isEmpty() ? null : connected.get(peerId);
    return peer != null && peer.connection().isOpen();
  }

  // ---- peers' capabilities → routing tables ----

  @Override
  public void onConnected(PeerConnection connection) {
    log.info("node {} connected to peer {}", node.nodeId(), connection.peerId());
    apply(connection);
    dialer.connected(connection.peerId());
  }

  @Override
  public void onPeerUpdated(PeerConnection connection) {
    apply(connection);
  }

  @Override
  public void onDisconnected(PeerConnection connection, Status reason) {
    log.info("node {} disconnected from peer {}: {}", node.nodeId(), connection.peerId(), reason.description());
    synchronized (this) {
      RemotePeer peer = connected.get(connection.peerId());
      if (peer == null || peer.connection() != connection) {
        return;
      }
      connected.remove(connection.peerId());
      peer.actions().forEach(remoteActions::remove);
      peer.subscriptions().forEach(p -> remoteSubscriptions.remove(p, connection.peerId()));
    }
    peers.disconnected(connection.peerId());
    dialer.disconnected(connection.peerId());
  }

  /**
   * Brings the routing tables in line with what {@code connection}'s peer advertises: only what
   * changed since its last capability version is removed or added.
   */
  private synchronized void apply(PeerConnection connection) {
    NodeInfo info = connection.peerInfo();
    String peerId = connection.peerId();
    RemotePeer old = connected.get(peerId);
    if (old != null && old.connection() == connection && info.getCapabilityVersion() <= old.capabilityVersion()) {
      return; // stale or repeated
    }
    Map<TopicPath, RemoteService.Action> before = new HashMap<>();
    Set<TopicPath> subscribedBefore = new LinkedHashSet<>();
    if (old != null) {
      if (old.connection() == connection) {
        before.putAll(old.actions());
        subscribedBefore.addAll(old.subscriptions());
      } else { // a replacement connection: start over
        old.actions().forEach(remoteActions::remove);
        old.subscriptions().forEach(p -> remoteSubscriptions.remove(p, peerId));
      }
    }
    ImmutableMap.Builder<TopicPath, RemoteService.Action> after = ImmutableMap.builder();
    for (ServiceCapability capability : info.getServicesList()) {
      for (RemoteService.Action action : new RemoteService(connection, capability).actions()) {
        RemoteService.Action kept = before.remove(action.path());
        if (kept != null && kept.capability().equals(action.capability())) {
          after.put(action.path(), kept);
        } else {
          if (kept != null) {
            remoteActions.remove(kept.path(), kept);
          }
          remoteActions.add(action.path(), action);
          after.put(action.path(), action);
        }
      }
    }
    before.forEach(remoteActions::remove);
    ImmutableSet.Builder<TopicPath> subscribed = ImmutableSet.builder();
    for (String pattern : info.getSubscriptionsList()) {
      TopicPath path;
      try {
        path = TopicPath.parse(pattern);
      } catch (IllegalArgumentException e) {
        log.warn("peer {} advertised a malformed subscription '{}'", peerId, pattern);
        continue;
      }
      subscribed.add(path);
      if (!subscribedBefore.remove(path)) {
        remoteSubscriptions.add(path, peerId);
      }
    }
    subscribedBefore.forEach(p -> remoteSubscriptions.remove(p, peerId));
    connected.put(
        peerId,
        new RemotePeer(connection, after.buildKeepingLast(), subscribed.build(), info.getCapabilityVersion()));
    peers.connected(info, addresses(info));
  }

  private static List<InetSocketAddress> addresses(NodeInfo info) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String address : info.getListenAddressesList()) {
      try {
        addresses.add(Addresses.parseNumeric(address));
      } catch (IllegalArgumentException e) {
        // ignore a malformed or named address: the connection itself works
      }
    }
    return addresses;
  }

  // ---- calls ----

  /**
   * Calls the action at {@code target} on a peer that provides it, round-robin among them; null
   * when no connected peer does. A call that a provider refused before it started (it is
   * stopping) or that could not be sent goes to the next provider, within the call's deadline:
   * like gRPC's transparent retry, this never runs a call twice.
   */
  <RespT extends Message> CompletableFuture<RespT> call(
      TopicPath target,
      Message request,
      Deadline deadline,
      ImmutableMap<String, String> metadata,
      RespT responsePrototype) {
    RemoteService.Action action = pickProvider(target, Set.of());
    if (action == null) {
      return null;
    }
    Request wire =
        header(target, deadline, metadata, request.getDescriptorForType().getFullName(), MethodType.UNARY)
            .setPayload(request.toByteString())
            .build();
    CompletableFuture<RespT> result = new CompletableFuture<>();
    Deadlines.enforce(result, deadline, timer, target);
    new UnaryAttempts<>(target, wire, deadline, responsePrototype, result, false).send(action.service().connection());
    return result;
  }

  /**
   * Calls {@code target} on the connected peer {@code peerId} itself, whether or not the peer
   * advertises it ({@code $registry} included), and never on another provider; null when that
   * peer is not connected.
   */
  <RespT extends Message> CompletableFuture<RespT> callPeer(
      String peerId, TopicPath target, Message request, Deadline deadline, RespT responsePrototype) {
    RemotePeer peer = connected.get(peerId);
    if (peer == null || !peer.connection().isOpen()) {
      return null;
    }
    Request wire =
        header(target, deadline, ImmutableMap.of(), request.getDescriptorForType().getFullName(), MethodType.UNARY)
            .setPayload(request.toByteString())
            .build();
    CompletableFuture<RespT> result = new CompletableFuture<>();
    Deadlines.enforce(result, deadline, timer, target);
    new UnaryAttempts<>(target, wire, deadline, responsePrototype, result, true).send(peer.connection());
    return result;
  }

  /** One unary call's attempts: the first provider, then others while it is refused unstarted. */
  private final class UnaryAttempts<RespT extends Message> {
    private final TopicPath target;
    private final Request request;
    private final Deadline deadline;
    private final RespT responsePrototype;
    private final CompletableFuture<RespT> result;
    private final Set<PeerConnection> tried = ConcurrentHashMap.newKeySet();
    /** True for a call to one peer in particular: never offered to another provider. */
    private final boolean pinned;

    UnaryAttempts(
        TopicPath target,
        Request request,
        Deadline deadline,
        RespT responsePrototype,
        CompletableFuture<RespT> result,
        boolean pinned) {
      this.target = target;
      this.request = request;
      this.deadline = deadline;
      this.responsePrototype = responsePrototype;
      this.result = result;
      this.pinned = pinned;
    }

    void send(PeerConnection connection) {
      tried.add(connection);
      Request attempt =
          tried.size() == 1
              ? request
              : request.toBuilder().setTimeoutMicros(timeoutMicros(deadline)).build();
      CompletableFuture<Response> call = connection.call(attempt);
      result.whenComplete(
          (r, e) -> {
            if (e != null) {
              call.cancel(false); // deadline or caller cancellation: the peer stops too
            }
          });
      call.whenComplete((response, error) -> settle(response, error));
    }

    private void settle(Response response, Throwable error) {
      Status failure =
          error != null
              ? Status.fromThrowable(error)
              : response.getStatusCode() != Status.Code.OK.value()
                  ? WireStatus.fromResponse(response)
                  : Status.OK;
      if (failure.isOk()) {
        try {
          result.complete(reply(response, responsePrototype));
        } catch (StatusException e) {
          result.completeExceptionally(
              Status.INTERNAL
                  .withDescription(target + " replied with the wrong type: " + e.status().description())
                  .asException());
        }
        return;
      }
      if (WireStatus.isNotStarted(failure)
          && !pinned
          && !result.isDone()
          && !deadline.isExpired()
          && tried.size() < MAX_ATTEMPTS) {
        RemoteService.Action next = pickProvider(target, tried);
        if (next != null) {
          log.debug("{} was not started by a provider ({}): trying another", target, failure.description());
          send(next.service().connection());
          return;
        }
      }
      result.completeExceptionally(failure.asException());
    }
  }

  /** A call's header: the deadline travels as the time left, since clocks differ. */
  private static Request.Builder header(
      TopicPath target, Deadline deadline, ImmutableMap<String, String> metadata, String typeName, MethodType type) {
    return Request.newBuilder()
        .setPath(target.toString())
        .setTimeoutMicros(timeoutMicros(deadline))
        .putAllMetadata(metadata)
        .setTypeName(typeName)
        .setType(type);
  }

  private static long timeoutMicros(Deadline deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMicros(deadline.nanosRemaining()));
  }

  @SuppressWarnings("unchecked")
  private static <RespT extends Message> RespT reply(Response response, RespT prototype) {
    Message wrapped = Messages.wrap(response.getTypeName(), response.getPayload());
    return prototype == null ? (RespT) wrapped : Messages.coerce(wrapped, prototype);
  }

  /**
   * The next provider, round-robin, among the open peers serving the most specific pattern that
   * matches {@code target}; null when none does.
   */
  private RemoteService.Action pickProvider(TopicPath target, Set<PeerConnection> excluded) {
    List<RemoteService.Action> providers = providers(target);
    if (!excluded.isEmpty()) {
      providers = providers.stream().filter(a -> !excluded.contains(a.service().connection())).toList();
    }
    return providers.isEmpty()
        ? null
        : providers.get(Math.floorMod(roundRobin.getAndIncrement(), providers.size()));
  }

  /** The open peers serving the most specific pattern that matches {@code target}. */
  private List<RemoteService.Action> providers(TopicPath target) {
    List<Match<RemoteService.Action>> matches = remoteActions.all(target);
    ImmutableList.Builder<RemoteService.Action> open = ImmutableList.builder();
    TopicPath best = null;
    for (Match<RemoteService.Action> m : matches) {
      if (!m.value().service().connection().isOpen()) {
        continue;
      }
      if (best == null) {
        best = m.pattern();
      } else if (!best.equals(m.pattern())) {
        break;
      }
      open.add(m.value());
    }
    return open.build();
  }

  /**
   * Starts a streaming call to a peer that provides {@code target}; false when none does.
   */
  <ReqT extends Message, RespT extends Message> boolean stream(
      TopicPath target,
      MethodDescriptor<ReqT, RespT> method,
      Flow.Publisher<ReqT> requests,
      Deadline deadline,
      ImmutableMap<String, String> metadata,
      Flow.Subscriber<? super RespT> subscriber) {
    RemoteService.Action action = pickProvider(target, Set.of());
    if (action == null) {
      return false;
    }
    Request header =
        header(
                target,
                deadline,
                metadata,
                method.requestPrototype().getDescriptorForType().getFullName(),
                MethodType.valueOf(method.type().name()))
            .build();
    CallStream stream = action.service().connection().openStream(header);
    RespT prototype = method.responsePrototype();
    Flow.Publisher<RespT> responses =
        s -> stream.inbound().subscribe(new StreamCall.Mapping<>(s, bytes -> Messages.parse(bytes, prototype)));
    node.startRemoteStream(target, deadline, prototype, subscriber, responses, stream::cancel);
    requests.subscribe(new StreamCall.Mapping<>(stream.outbound(), Message::toByteString));
    return true;
  }

  @Override
  public CompletableFuture<Response> onRequest(PeerConnection from, Request request) {
    return node.serveRemote(request);
  }

  @Override
  public void onStream(PeerConnection from, Request header, CallStream stream) {
    node.serveRemoteStream(header, stream);
  }

  // ---- events ----

  /**
   * Refuses an event too large for the transport, with RESOURCE_EXHAUSTED to its publisher.
   *
   * @throws StatusException when it is
   */
  void checkEventSize(Message payload) {
    Optional<Status> tooLarge = transport.limit().check("event", payload.getSerializedSize());
    if (tooLarge.isPresent()) {
      throw tooLarge.get().asException();
    }
  }

  /** Sends a locally published event to every peer with a matching subscription, once each. */
  void forward(TopicPath topic, Message payload) {
    Set<String> targets = new LinkedHashSet<>();
    for (Match<String> match : remoteSubscriptions.all(topic)) {
      targets.add(match.value());
    }
    if (targets.isEmpty()) {
      return;
    }
    Event event =
        Event.newBuilder()
            .setTopic(topic.toString())
            .setTypeName(payload.getDescriptorForType().getFullName())
            .setPayload(payload.toByteString())
            .build();
    for (String peerId : targets) {
      RemotePeer peer = connected.get(peerId);
      if (peer != null) {
        peer.connection().sendEvent(event);
      }
    }
  }

  @Override
  public void onEvent(PeerConnection from, Event event) {
    node.deliverRemoteEvent(event);
  }
}
