package dev.runar;

import com.google.protobuf.Message;
import dev.runar.discovery.NodeDiscovery;
import dev.runar.discovery.PeerAnnouncement;
import dev.runar.internal.WireMetadata;
import dev.runar.network.Addresses;
import dev.runar.network.CallStream;
import dev.runar.network.InboundHandler;
import dev.runar.network.NetworkTransport;
import dev.runar.network.PeerConnection;
import dev.runar.network.Reply;
import dev.runar.network.TransportStats;
import dev.runar.registry.TopicPath;
import dev.runar.wire.ActionCapability;
import dev.runar.wire.Event;
import dev.runar.wire.MethodType;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import dev.runar.wire.ServiceCapability;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's networked half: turns what discovery finds into connections (reconnecting with
 * exponential backoff and jitter), what peers advertise into {@link RemoteService} proxies and
 * remote subscriptions, and routes calls and events over the transport. Everything here runs only
 * when the node's configuration has a transport; a node without one never creates it.
 */
final class NetworkNode implements Networking, InboundHandler, NodeDiscovery.Listener {
  private static final Logger log = LoggerFactory.getLogger(NetworkNode.class);

  private final NodeConfig config;
  private final ServiceRegistry registry;
  private final EventBus events;
  private final EventInterception eventInterception;
  private final PathCache paths;
  private final LocalCalls calls;
  private final PeerServer server;
  private final Executor callbacks;
  private final BooleanSupplier nodeRunning;
  private final NetworkTransport transport;
  private final Optional<NodeDiscovery> discovery;
  private final PeerRegistry peers = new PeerRegistry();
  private final RemoteRoutes routes;

  /** Peers discovery lost while their connection was open. */
  private final Set<String> lostWhileConnected = ConcurrentHashMap.newKeySet();

  private final RemoteCalls remoteCalls;
  private final Dialer dialer;
  private final AtomicLong capabilityVersion = new AtomicLong(1);
  private final long instanceId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  private volatile boolean running;
  private volatile InetSocketAddress listenAddress;

  /**
   * What of the node its networked half works with: handed over at construction, so that nothing
   * here calls back into {@link Node}.
   *
   * @param callbacks where replies from peers complete (see {@link LocalCalls})
   * @param running whether the node takes calls and events
   */
  record Parts(
      NodeConfig config,
      ServiceRegistry registry,
      EventBus events,
      EventInterception eventInterception,
      PathCache paths,
      LocalCalls calls,
      PeerServer server,
      Executor callbacks,
      BooleanSupplier running) {}

  NetworkNode(
      Parts parts,
      NetworkTransport transport,
      Optional<NodeDiscovery> discovery,
      ScheduledExecutorService timer) {
    this.config = parts.config();
    this.registry = parts.registry();
    this.events = parts.events();
    this.eventInterception = parts.eventInterception();
    this.paths = parts.paths();
    this.calls = parts.calls();
    this.server = parts.server();
    this.callbacks = parts.callbacks();
    this.nodeRunning = parts.running();
    this.transport = transport;
    this.discovery = discovery;

    this.routes =
        new RemoteRoutes(peers, new ProviderPicker(config.nodeId(), config.serviceConfig()));
    this.remoteCalls = new RemoteCalls(routes, calls, timer, Compression.of(config));
    this.dialer = new Dialer(config.nodeId(), transport, timer, peers, this::isConnected);
  }

  @Override
  public PeerRegistry peers() {
    return peers;
  }

  @Override
  public Optional<RemoteCalls> remoteCalls() {
    return Optional.of(remoteCalls);
  }

  @Override
  public void start() throws Exception {
    running = true;
    transport.start(this, callbacks);
    listenAddress = transport.localAddress();
    transport.updateLocalInfo(localInfo());
    if (discovery.isPresent()) {
      discovery.get().start(announcement(), this);
    }
    log.info("node {} listens on {}", config.nodeId(), transport.localAddress());
  }

  @Override
  public void stop() {
    running = false;
    dialer.stop();
    discovery.ifPresent(NodeDiscovery::close);
    transport.close();
  }

  // ---- what this node advertises ----

  @Override
  public void capabilitiesChanged() {
    capabilityVersion.incrementAndGet();
    if (!running) {
      return;
    }
    transport.updateLocalInfo(localInfo());
    discovery.ifPresent(d -> d.update(announcement()));
  }

  @Override
  public NodeInfo localInfo() {
    NodeInfo.Builder info =
        NodeInfo.newBuilder()
            .setNodeId(config.nodeId())
            .setNetworkId(config.networkId())
            .setProtocolVersion(2)
            .setCapabilityVersion(capabilityVersion.get())
            .setInstanceId(instanceId)
            .addAllAcceptEncodings(config.acceptedEncodings());
    InetSocketAddress address = listenAddress;
    if (address != null) {
      info.addListenAddresses(Addresses.format(address));
    }
    for (HostedService service : registry.services()) {
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
                .setResponseType(m.responsePrototype().getDescriptorForType().getFullName())
                .setIdempotent(m.isIdempotent()));
      }
      info.addServices(capability);
    }
    events.patterns().forEach(p -> info.addSubscriptions(p.toString()));
    return info.build();
  }

  /**
   * Refuses a peer whose advertised paths and patterns do not parse: its services could never be
   * routed, and accepting it would hide the fault.
   */
  @Override
  public Optional<String> refusal(NodeInfo info) {
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
          "node " + info.getNodeId() + " advertises a malformed " + what + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  private PeerAnnouncement announcement() {
    return new PeerAnnouncement(
        config.nodeId(),
        config.networkId(),
        List.of(listenAddress),
        capabilityVersion.get(),
        instanceId);
  }

  // ---- discovery → connections ----

  @Override
  public void discovered(PeerAnnouncement peer) {
    lostWhileConnected.remove(peer.nodeId());
    if (!running || peer.addresses().isEmpty() || peer.nodeId().equals(config.nodeId())) {
      return;
    }
    if (!peer.nodeId().isEmpty() && !isConnected(peer.nodeId())) {
      // A connected peer's addresses come from its authenticated NodeInfo, not from datagrams.
      peers.discovered(peer.nodeId(), peer.addresses(), peer.capabilityVersion());
    }
    dialer.dial(peer.addresses().get(0), peer.nodeId(), peer.instanceId(), restarted(peer));
  }

  /**
   * Whether {@code peer} announces another instance than the one this node is connected to: it
   * restarted, and the open connection leads to its dead process. Dialing it then is only a probe:
   * the new connection replaces the old one only if its handshake authenticates the same node id
   * with the new instance.
   */
  private boolean restarted(PeerAnnouncement peer) {
    return peer.instanceId() != 0
        && routes
            .connection(peer.nodeId())
            .map(c -> c.peerInfo().getInstanceId() != peer.instanceId())
            .orElse(false);
  }

  /**
   * Discovery no longer sees {@code nodeId}: stop dialing it. An open connection stays: discovery
   * is a hint, and whether a connected peer is alive is for the connection itself to tell.
   */
  @Override
  public void lost(String nodeId) {
    log.info("node {} lost peer {} from discovery", config.nodeId(), nodeId);
    dialer.forget(nodeId);
    if (isConnected(nodeId)) {
      lostWhileConnected.add(nodeId); // forgotten once its connection ends, if it does
    } else {
      peers.remove(nodeId);
    }
  }

  private boolean isConnected(String peerId) {
    return routes.connection(peerId).isPresent();
  }

  // ---- peers' capabilities → routing tables ----

  @Override
  public void onConnected(PeerConnection connection) {
    if (routes.routes(connection.peerId())) {
      // Its previous connection was a duplicate, or is going away: calls move without a gap.
      log.debug(
          "node {}: calls to {} move to {}", config.nodeId(), connection.peerId(), connection);
    } else {
      log.info("node {} connected to peer {}", config.nodeId(), connection.peerId());
    }
    routes.apply(connection);
    dialer.connected(connection.peerId());
  }

  @Override
  public void onPeerUpdated(PeerConnection connection) {
    routes.apply(connection);
  }

  @Override
  public void onDisconnected(PeerConnection connection, String reason) {
    log.info("node {} disconnected from peer {}: {}", config.nodeId(), connection.peerId(), reason);
    if (!routes.remove(connection)) {
      return; // a replaced or duplicate connection: the routes are on another one
    }
    if (lostWhileConnected.remove(connection.peerId())) {
      peers.remove(connection.peerId()); // discovery no longer knows it: nothing to redial
    } else {
      peers.disconnected(connection.peerId());
      dialer.disconnected(connection.peerId());
    }
  }

  @Override
  public CompletableFuture<Reply> onRequest(PeerConnection from, Request request) {
    return server.unary(request);
  }

  @Override
  public void onStream(PeerConnection from, Request header, CallStream stream) {
    server.stream(header, stream);
  }

  // ---- events ----

  @Override
  public void checkEventSize(Message payload) {
    Optional<String> tooLarge = transport.limit().excess("event", payload.getSerializedSize());
    if (tooLarge.isPresent()) {
      throw Status.RESOURCE_EXHAUSTED.withDescription(tooLarge.get()).asException();
    }
  }

  @Override
  public void forward(TopicPath topic, Message payload, Metadata metadata) {
    List<PeerConnection> targets = routes.subscribers(topic);
    if (targets.isEmpty()) {
      return;
    }
    Event event =
        Event.newBuilder()
            .setTopic(topic.toString())
            .setTypeName(payload.getDescriptorForType().getFullName())
            .setPayload(payload.toByteString())
            .addAllMetadata(WireMetadata.strings(metadata))
            .addAllBinaryMetadata(WireMetadata.binaries(metadata))
            .build();
    targets.forEach(c -> c.sendEvent(event));
  }

  @Override
  public CompletableFuture<Optional<TransportStats>> transportStats(String peerId) {
    return routes
        .connection(peerId)
        .map(PeerConnection::transportStats)
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
  }

  @Override
  public void onEvent(PeerConnection from, Event event) {
    if (!nodeRunning.getAsBoolean()) {
      return;
    }
    TopicPath topic;
    Metadata metadata;
    try {
      topic = paths.parse(event.getTopic());
      metadata = WireMetadata.read(event.getMetadataList(), event.getBinaryMetadataList());
    } catch (IllegalArgumentException e) {
      eventInterception.dropped(
          event.getTopic(), "peer " + from.peerId() + " sent a malformed event: " + e.getMessage());
      return;
    }
    Optional<Status> tooLarge = eventInterception.tooLarge(event.getTopic(), metadata);
    if (tooLarge.isPresent()) {
      eventInterception.dropped(
          event.getTopic(), "peer " + from.peerId() + " sent it: " + tooLarge.get().description());
      return;
    }
    events.publish(
        topic,
        Messages.wrap(event.getTypeName(), event.getPayload()),
        metadata); // never forwarded on
  }
}
