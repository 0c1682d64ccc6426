package dev.runar.grpc.gateway;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.runar.CallOptions;
import dev.runar.MethodDescriptor;
import dev.runar.Node;
import dev.runar.network.Peers;
import dev.runar.registry.proto.ListServicesRequest;
import dev.runar.registry.proto.ListServicesResponse;
import dev.runar.registry.proto.ServiceInfo;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every service a started {@link Node} can reach — its own and its connected peers' — as
 * standard gRPC over HTTP/2, so that any gRPC client in any language can call them. Methods are
 * named by the {@code .proto} ({@code /package.Service/Method}); each call becomes a Runar call to
 * the rpc's action path, routed by the node as any other (locally, or to a peer hosting it).
 *
 * <p>The gateway follows the node: a peer that connects adds its services (their descriptors are
 * asked of the peer with {@link Node#peerDescriptors}), one that leaves removes them (new calls get
 * UNIMPLEMENTED; {@code grpc.health.v1} turns the service NOT_SERVING), and the node's own services
 * are re-read every {@link GrpcGatewayConfig#refreshInterval()}. Server reflection (v1 and v1alpha)
 * describes exactly the services served at the moment. {@code docs/grpc-gateway.md} has the mapping
 * of statuses, deadlines, metadata and identity.
 *
 * <p>Threading: thread-safe. Calls run on gRPC's transport threads up to the hand-off to the node
 * (which never blocks them); changes to the served services are applied on one thread of the
 * gateway's own. {@link #close()} stops serving; the node is the caller's to stop.
 */
public final class GrpcGateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrpcGateway.class);
  private static final MethodDescriptor<ListServicesRequest, ListServicesResponse> LIST =
      MethodDescriptor.unary(
          "$registry",
          "services/list",
          ListServicesRequest.getDefaultInstance(),
          ListServicesResponse.getDefaultInstance());
  private static final MethodDescriptor<ListServicesRequest, FileDescriptorSet> DESCRIPTORS =
      MethodDescriptor.unary(
          "$registry",
          "services/descriptors",
          ListServicesRequest.getDefaultInstance(),
          FileDescriptorSet.getDefaultInstance());

  private final Node node;
  private final GrpcGatewayConfig config;
  private final MutableHandlerRegistry handlers = new MutableHandlerRegistry();
  private final HealthStatusManager health = new HealthStatusManager();
  private final ServiceCatalog catalog = new ServiceCatalog();
  private final ScheduledExecutorService refresher;
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  private final Peers.Listener peerListener = (previous, current) -> requestRefresh();

  /** Peers' descriptor sets, by node id, for the peer instance and capabilities they describe. */
  private final Map<String, PeerFiles> peerFiles = new ConcurrentHashMap<>();

  private final Map<String, PeerKey> fetching = new ConcurrentHashMap<>();

  /** Written on the refresh thread only. */
  private volatile ImmutableMap<String, Served> served = ImmutableMap.of();

  private final Server server;

  private record PeerKey(long instanceId, long capabilityVersion) {}

  private record PeerFiles(PeerKey key, FileDescriptorSet files) {}

  private record Served(ServiceCatalog.Service service, ServerServiceDefinition definition) {}

  private GrpcGateway(Node node, GrpcGatewayConfig config) throws IOException {
    this.node = node;
    this.config = config;
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder()
                .setNameFormat("runar-grpc-gateway-%d")
                .setDaemon(true)
                .build());
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    this.server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(config.host(), config.port()), credentials(config))
            .fallbackHandlerRegistry(handlers)
            .addService(ProtoReflectionServiceV1.newInstance())
            .addService(legacyReflection())
            .addService(health.getHealthService())
            .directExecutor() // handlers only hand calls to the node, which never blocks them
            .build();
  }

  @SuppressWarnings("deprecation") // v1alpha: what older clients (grpcurl, older buf) still ask
  private static io.grpc.BindableService legacyReflection() {
    return ProtoReflectionService.newInstance();
  }

  /**
   * Starts a gateway for {@code node} (started or not; calls fail with UNAVAILABLE until it is) and
   * returns once it listens and serves the node's own services; connected peers' services follow as
   * their descriptors arrive (normally within milliseconds), see {@link #services()}.
   *
   * @throws IOException when the address cannot be bound
   */
  public static GrpcGateway start(Node node, GrpcGatewayConfig config) throws IOException {
    GrpcGateway gateway =
        new GrpcGateway(
            Objects.requireNonNull(node, "node"), Objects.requireNonNull(config, "config"));
    gateway.server.start();
    node.peers().addListener(gateway.peerListener);
    try {
      gateway
          .refresher
          .submit(gateway::refresh)
          .get(config.descriptorTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("gateway's first look at node {} failed: it keeps trying", node.nodeId(), e);
    }
    long every = config.refreshInterval().toNanos();
    gateway.refresher.scheduleWithFixedDelay(
        gateway::requestRefresh, every, every, TimeUnit.NANOSECONDS);
    log.info(
        "gRPC gateway for node {} listening on {} ({})", node.nodeId(), gateway.address(), config);
    return gateway;
  }

  /** Where the gateway listens (with the port chosen when the config asked for port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  public int port() {
    return server.getPort();
  }

  /** The gRPC service names served now (reflection and health not included). */
  public ImmutableSet<String> services() {
    return served.keySet();
  }

  /**
   * Stops serving: no new calls; calls in flight get a second to finish, then are cancelled (and
   * with them their Runar calls). Health reports NOT_SERVING to watchers. Idempotent.
   */
  @Override
  public void close() {
    node.peers().removeListener(peerListener);
    refresher.shutdownNow();
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ServerCredentials credentials(GrpcGatewayConfig config) throws IOException {
    if (config.tls().isEmpty()) {
      return InsecureServerCredentials.create();
    }
    GrpcGatewayConfig.Tls tls = config.tls().get();
    TlsServerCredentials.Builder b =
        TlsServerCredentials.newBuilder()
            .keyManager(tls.certificateChain().toFile(), tls.privateKey().toFile());
    if (tls.trustedClientRoots().isPresent()) {
      b.trustManager(tls.trustedClientRoots().get().toFile());
    }
    b.clientAuth(
        switch (tls.clientAuth()) {
          case NONE -> TlsServerCredentials.ClientAuth.NONE;
          case OPTIONAL -> TlsServerCredentials.ClientAuth.OPTIONAL;
          case REQUIRE -> TlsServerCredentials.ClientAuth.REQUIRE;
        });
    return b.build();
  }

  private void requestRefresh() {
    if (refreshQueued.compareAndSet(false, true)) {
      try {
        refresher.execute(
            () -> {
              refreshQueued.set(false);
              refresh();
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed
      }
    }
  }

  /** Recomputes what to serve from the node and its peers, and applies the difference. */
  private void refresh() {
    try {
      List<ServiceCatalog.Source> sources = new ArrayList<>();
      localSource().ifPresent(sources::add);
      sources.addAll(peerSources());
      apply(catalog.services(sources));
    } catch (RuntimeException e) {
      log.warn("gateway refresh failed", e);
    }
  }

  private Optional<ServiceCatalog.Source> localSource() {
    if (!node.isRunning()) {
      return Optional.empty();
    }
    CallOptions options = CallOptions.DEFAULT.withTimeout(config.descriptorTimeout());
    try {
      ListServicesResponse list =
          node.call(LIST, ListServicesRequest.getDefaultInstance(), options)
              .get(config.descriptorTimeout().toMillis(), TimeUnit.MILLISECONDS);
      FileDescriptorSet files =
          node.call(DESCRIPTORS, ListServicesRequest.getDefaultInstance(), options)
              .get(config.descriptorTimeout().toMillis(), TimeUnit.MILLISECONDS);
      ImmutableSet.Builder<String> paths = ImmutableSet.builder();
      for (ServiceInfo s : list.getServicesList()) {
        if ("RUNNING".equals(s.getState())) {
          paths.add(ServiceCatalog.withoutNetwork(s.getPath()));
        }
      }
      return Optional.of(new ServiceCatalog.Source(node.nodeId(), paths.build(), files));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      log.debug("could not read node {}'s own services", node.nodeId(), e);
      return Optional.empty();
    }
  }

  /** The connected peers whose descriptors are known; asks the others (and refreshes then). */
  private List<ServiceCatalog.Source> peerSources() {
    List<ServiceCatalog.Source> sources = new ArrayList<>();
    Map<String, Peers.Peer> connected = new HashMap<>();
    for (Peers.Peer peer : node.peers().all()) {
      if (peer.state() == Peers.PeerState.CONNECTED && peer.info() != null) {
        connected.put(peer.nodeId(), peer);
      }
    }
    peerFiles.keySet().retainAll(connected.keySet());
    for (Peers.Peer peer : connected.values()) {
      PeerKey key = new PeerKey(peer.info().getInstanceId(), peer.info().getCapabilityVersion());
      PeerFiles files = peerFiles.get(peer.nodeId());
      if (files == null || !files.key().equals(key)) {
        fetch(peer.nodeId(), key);
      }
      if (files != null) {
        // Until the new description arrives the old one serves, for the paths hosted now.
        ImmutableSet.Builder<String> paths = ImmutableSet.builder();
        peer.info()
            .getServicesList()
            .forEach(s -> paths.add(ServiceCatalog.withoutNetwork(s.getPath())));
        sources.add(new ServiceCatalog.Source(peer.nodeId(), paths.build(), files.files()));
      }
    }
    return sources;
  }

  private void fetch(String peerId, PeerKey key) {
    if (key.equals(fetching.putIfAbsent(peerId, key)) || fetching.get(peerId) != key) {
      return; // already asked for this version
    }
    node.peerDescriptors(peerId, CallOptions.DEFAULT.withTimeout(config.descriptorTimeout()))
        .whenComplete(
            (files, failure) -> {
              fetching.remove(peerId, key);
              if (failure != null) {
                log.debug("could not read peer {}'s descriptors (will retry)", peerId, failure);
                return;
              }
              peerFiles.put(peerId, new PeerFiles(key, files));
              requestRefresh();
            });
  }

  private void apply(ImmutableMap<String, ServiceCatalog.Service> wanted) {
    Map<String, Served> next = new HashMap<>();
    for (Map.Entry<String, Served> old : served.entrySet()) {
      if (!wanted.containsKey(old.getKey())) {
        handlers.removeService(old.getValue().definition());
        health.setStatus(old.getKey(), ServingStatus.NOT_SERVING);
        log.info("gateway no longer serves {}: no reachable node hosts it", old.getKey());
      }
    }
    for (ServiceCatalog.Service service : wanted.values()) {
      Served old = served.get(service.name());
      if (old != null && old.service().equals(service)) {
        next.put(service.name(), old);
        continue;
      }
      ServerServiceDefinition definition = definition(service);
      handlers.addService(definition); // replaces one of the same name
      health.setStatus(service.name(), ServingStatus.SERVING);
      next.put(service.name(), new Served(service, definition));
      log.info("gateway serves {} (Runar path {})", service.name(), service.runarPath());
    }
    served = ImmutableMap.copyOf(next);
  }

  private ServerServiceDefinition definition(ServiceCatalog.Service service) {
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(service.name())
            .setSchemaDescriptor(new ServiceSchema(service.proto()));
    List<io.grpc.MethodDescriptor<ByteString, ByteString>> methods = new ArrayList<>();
    for (ServiceCatalog.Method m : service.methods()) {
      io.grpc.MethodDescriptor<ByteString, ByteString> grpc =
          io.grpc.MethodDescriptor.<ByteString, ByteString>newBuilder(
                  CallBridge.BYTES, CallBridge.BYTES)
              .setType(io.grpc.MethodDescriptor.MethodType.valueOf(m.runar().type().name()))
              .setFullMethodName(
                  io.grpc.MethodDescriptor.generateFullMethodName(
                      service.name(), m.proto().getName()))
              .setIdempotent(m.runar().isIdempotent())
              .setSafe(m.runar().isSafe())
              .setSchemaDescriptor(new MethodSchema(m.proto()))
              .build();
      methods.add(grpc);
      descriptor.addMethod(grpc);
    }
    ServerServiceDefinition.Builder definition =
        ServerServiceDefinition.builder(descriptor.build());
    for (int i = 0; i < methods.size(); i++) {
      definition.addMethod(
          methods.get(i),
          CallBridge.handler(
              node, service.methods().get(i), config.defaultTimeout(), config.streamWindow()));
    }
    return definition.build();
  }

  /** What reflection reads: the service's file and descriptor. */
  private static final class ServiceSchema
      implements ProtoFileDescriptorSupplier, ProtoServiceDescriptorSupplier {
    private final com.google.protobuf.Descriptors.ServiceDescriptor service;

    ServiceSchema(com.google.protobuf.Descriptors.ServiceDescriptor service) {
      this.service = service;
    }

    @Override
    public FileDescriptor getFileDescriptor() {
      return service.getFile();
    }

    @Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return service;
    }
  }

  /** What reflection reads for one method. */
  private static final class MethodSchema
      implements ProtoFileDescriptorSupplier, ProtoMethodDescriptorSupplier {
    private final com.google.protobuf.Descriptors.MethodDescriptor method;

    MethodSchema(com.google.protobuf.Descriptors.MethodDescriptor method) {
      this.method = method;
    }

    @Override
    public FileDescriptor getFileDescriptor() {
      return method.getFile();
    }

    @Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return method.getService();
    }

    @Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return method;
    }
  }

  @Override
  public String toString() {
    return "GrpcGateway["
        + node.nodeId()
        + " on "
        + address()
        + ", "
        + ImmutableList.copyOf(served.keySet())
        + "]";
  }
}
