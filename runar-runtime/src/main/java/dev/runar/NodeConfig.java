package dev.runar;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.runar.discovery.NodeDiscovery;
import dev.runar.network.NetworkTransport;
import dev.runar.registry.TopicPath;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A node's settings. Immutable; build one with {@link #builder()}. Every setting has a default, so
 * {@code NodeConfig.builder().build()} is a working local node.
 */
public final class NodeConfig {
  private final String nodeId;
  private final String networkId;
  private final Duration requestTimeout;
  private final Duration shutdownGracePeriod;
  private final Executor executor;
  private final boolean directExecution;
  private final int maxHandlerThreads;
  private final int maxRetainedEvents;
  private final NetworkTransport transport;
  private final NodeDiscovery discovery;
  private final ImmutableList<NodeExtension> extensions;
  private final ImmutableList<ClientInterceptor> ownClientInterceptors;
  private final ImmutableList<ServerInterceptor> ownServerInterceptors;
  private final ImmutableList<EventInterceptor> ownEventInterceptors;
  private final ImmutableList<ClientInterceptor> clientInterceptors;
  private final ImmutableList<ServerInterceptor> serverInterceptors;
  private final ImmutableList<EventInterceptor> eventInterceptors;
  private final int maxMetadataSize;
  private final ServiceConfig serviceConfig;
  private final ImmutableSet<String> acceptedEncodings;

  private NodeConfig(Builder b) {
    this.nodeId = b.nodeId != null ? b.nodeId : UUID.randomUUID().toString();
    this.networkId = b.networkId;
    this.requestTimeout = b.requestTimeout;
    this.shutdownGracePeriod = b.shutdownGracePeriod;
    this.executor = b.executor;
    this.directExecution = b.directExecution;
    this.maxHandlerThreads = b.maxHandlerThreads;
    this.maxRetainedEvents = b.maxRetainedEvents;
    this.transport = b.transport;
    this.discovery = b.discovery;
    this.extensions = b.extensions.build();
    this.ownClientInterceptors = b.clientInterceptors.build();
    this.ownServerInterceptors = b.serverInterceptors.build();
    this.ownEventInterceptors = b.eventInterceptors.build();
    this.clientInterceptors =
        extensionsFirst(NodeExtension::clientInterceptors, ownClientInterceptors);
    this.serverInterceptors =
        extensionsFirst(NodeExtension::serverInterceptors, ownServerInterceptors);
    this.eventInterceptors =
        extensionsFirst(NodeExtension::eventInterceptors, ownEventInterceptors);
    this.maxMetadataSize = b.maxMetadataSize;
    this.serviceConfig = b.serviceConfig;
    this.acceptedEncodings = b.acceptedEncodings;
    if (discovery != null && transport == null) {
      throw new IllegalArgumentException("discovery needs a transport to connect what it finds");
    }
  }

  private <T> ImmutableList<T> extensionsFirst(
      Function<NodeExtension, List<? extends T>> ofExtension, ImmutableList<T> own) {
    ImmutableList.Builder<T> all = ImmutableList.builder();
    extensions.forEach(e -> all.addAll(ofExtension.apply(e)));
    return all.addAll(own).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's settings, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder()
        .nodeId(nodeId)
        .networkId(networkId)
        .requestTimeout(requestTimeout)
        .shutdownGracePeriod(shutdownGracePeriod)
        .executor(executor)
        .directExecution(directExecution)
        .maxHandlerThreads(maxHandlerThreads)
        .maxRetainedEvents(maxRetainedEvents)
        .transport(transport)
        .discovery(discovery)
        .maxMetadataSize(maxMetadataSize)
        .extensions(extensions)
        .clientInterceptors(ownClientInterceptors)
        .serverInterceptors(ownServerInterceptors)
        .eventInterceptors(ownEventInterceptors)
        .serviceConfig(serviceConfig)
        .acceptedEncodings(acceptedEncodings.toArray(new String[0]));
  }

  /** The extensions plugged into this node, in the order added. */
  public ImmutableList<NodeExtension> extensions() {
    return extensions;
  }

  /**
   * Interceptors of every call this node makes, before any stub's: the extensions', then those
   * added on their own; see {@link ClientInterceptor}.
   */
  public ImmutableList<ClientInterceptor> clientInterceptors() {
    return clientInterceptors;
  }

  /**
   * Interceptors of every call this node serves, before any service's: the extensions', then those
   * added on their own.
   */
  public ImmutableList<ServerInterceptor> serverInterceptors() {
    return serverInterceptors;
  }

  /** Interceptors of the events this node publishes and delivers: the extensions' first. */
  public ImmutableList<EventInterceptor> eventInterceptors() {
    return eventInterceptors;
  }

  /** The largest request metadata, and response headers plus trailers, a call may carry. */
  public int maxMetadataSize() {
    return maxMetadataSize;
  }

  /** This node's id: the configured one, else a random UUID chosen when the config was built. */
  public String nodeId() {
    return nodeId;
  }

  /** The network that paths without a {@code network:} prefix belong to. */
  public String networkId() {
    return networkId;
  }

  /** The deadline of a call whose options set none. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** How long {@link Node#stop()} lets calls in flight finish before cancelling them. */
  public Duration shutdownGracePeriod() {
    return shutdownGracePeriod;
  }

  /** The executor for handlers and subscribers, when the user supplies one. */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /** Whether handlers and subscribers run on the thread that calls or publishes. */
  public boolean directExecution() {
    return directExecution;
  }

  /** The most threads the node's own handler pool starts (unused with a supplied executor). */
  public int maxHandlerThreads() {
    return maxHandlerThreads;
  }

  /** How many topics keep their last event for {@link SubscribeOptions#includePast()}. */
  public int maxRetainedEvents() {
    return maxRetainedEvents;
  }

  /** The transport to other nodes; empty for a local-only node. */
  public Optional<NetworkTransport> transport() {
    return Optional.ofNullable(transport);
  }

  /** How the node finds peers; empty when it only accepts connections (or is local-only). */
  public Optional<NodeDiscovery> discovery() {
    return Optional.ofNullable(discovery);
  }

  /** Retry policies, retry budget, load balancing and outlier detection for this node's calls. */
  public ServiceConfig serviceConfig() {
    return serviceConfig;
  }

  /** The payload encodings this node accepts on calls it serves (and answers in). */
  public ImmutableSet<String> acceptedEncodings() {
    return acceptedEncodings;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("nodeId", nodeId)
        .add("networkId", networkId)
        .add("requestTimeout", requestTimeout)
        .add("shutdownGracePeriod", shutdownGracePeriod)
        .add("executor", executor)
        .add("directExecution", directExecution)
        .add("maxHandlerThreads", maxHandlerThreads)
        .add("maxRetainedEvents", maxRetainedEvents)
        .add("transport", transport)
        .add("discovery", discovery)
        .add("serviceConfig", serviceConfig)
        .add("acceptedEncodings", acceptedEncodings)
        .toString();
  }

  /** Builds a {@link NodeConfig}. */
  public static final class Builder {
    private String nodeId;
    private String networkId = TopicPath.DEFAULT_NETWORK;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration shutdownGracePeriod = Duration.ofSeconds(5);
    private Executor executor;
    private boolean directExecution;
    private int maxHandlerThreads = 256;
    private int maxRetainedEvents = 1024;
    private NetworkTransport transport;
    private NodeDiscovery discovery;
    private final ImmutableList.Builder<ClientInterceptor> clientInterceptors =
        ImmutableList.builder();
    private final ImmutableList.Builder<ServerInterceptor> serverInterceptors =
        ImmutableList.builder();
    private final ImmutableList.Builder<EventInterceptor> eventInterceptors =
        ImmutableList.builder();
    private final ImmutableList.Builder<NodeExtension> extensions = ImmutableList.builder();
    private int maxMetadataSize = 8192;
    private ServiceConfig serviceConfig = ServiceConfig.DEFAULT;
    private ImmutableSet<String> acceptedEncodings = Compression.SUPPORTED;

    private Builder() {}

    /** Adds an interceptor of every call this node makes (after those added before). */
    public Builder clientInterceptor(ClientInterceptor interceptor) {
      clientInterceptors.add(interceptor);
      return this;
    }

    /** Adds interceptors of every call this node makes, in order. */
    public Builder clientInterceptors(Iterable<? extends ClientInterceptor> interceptors) {
      clientInterceptors.addAll(interceptors);
      return this;
    }

    /** Adds an interceptor of every call this node serves (after those added before). */
    public Builder serverInterceptor(ServerInterceptor interceptor) {
      serverInterceptors.add(interceptor);
      return this;
    }

    /** Adds interceptors of every call this node serves, in order. */
    public Builder serverInterceptors(Iterable<? extends ServerInterceptor> interceptors) {
      serverInterceptors.addAll(interceptors);
      return this;
    }

    /** Adds an interceptor of the events this node publishes and delivers (after earlier ones). */
    public Builder eventInterceptor(EventInterceptor interceptor) {
      eventInterceptors.add(interceptor);
      return this;
    }

    /** Adds interceptors of the events this node publishes and delivers, in order. */
    public Builder eventInterceptors(Iterable<? extends EventInterceptor> interceptors) {
      eventInterceptors.addAll(interceptors);
      return this;
    }

    /**
     * Plugs in an extension (after those added before): its interceptors run before every
     * interceptor added on its own, and it hears when the node starts and stops. See {@link
     * NodeExtension}.
     */
    public Builder extension(NodeExtension extension) {
      extensions.add(extension);
      return this;
    }

    /** Plugs in extensions, in order; see {@link #extension}. */
    public Builder extensions(Iterable<? extends NodeExtension> extensions) {
      this.extensions.addAll(extensions);
      return this;
    }

    /**
     * The largest metadata a call may carry, counted as {@link Metadata#size()}: the request's
     * metadata, and the response headers and trailers together. Larger fails the call with
     * RESOURCE_EXHAUSTED. Default: 8 KiB, as gRPC's default header list size.
     */
    public Builder maxMetadataSize(int maxMetadataSize) {
      checkArgument(maxMetadataSize > 0, "maxMetadataSize <= 0");
      this.maxMetadataSize = maxMetadataSize;
      return this;
    }

    /**
     * Retry policies, the retry budget, the load-balancing policy and outlier detection of the
     * calls this node makes. Default: {@link ServiceConfig#DEFAULT}.
     */
    public Builder serviceConfig(ServiceConfig serviceConfig) {
      this.serviceConfig = Objects.requireNonNull(serviceConfig, "serviceConfig");
      return this;
    }

    /**
     * The payload encodings this node accepts on the calls peers make to it, advertised to them: a
     * caller compresses only with one of these ({@link CallOptions#withCompression}). None: every
     * request arrives uncompressed. Default: {@code gzip}, the only one there is.
     *
     * @throws IllegalArgumentException for an encoding other than {@code gzip}
     */
    public Builder acceptedEncodings(String... encodings) {
      for (String encoding : encodings) {
        checkArgument(Compression.SUPPORTED.contains(encoding), "unknown encoding %s", encoding);
      }
      this.acceptedEncodings = ImmutableSet.copyOf(encodings);
      return this;
    }

    /**
     * Connects this node to others, e.g. {@code new QuicTransport(QuicTransportConfig.builder()
     * .security(...).build())}. Default: none, a local-only node.
     *
     * <p>Ownership: the node that is created with this config owns the transport: it starts it, and
     * closes it when the node stops. A transport starts once, so a config holding one builds one
     * node (a second node created from it fails to start its networking); give every node a
     * transport of its own.
     */
    public Builder transport(NetworkTransport transport) {
      this.transport = transport;
      return this;
    }

    /**
     * Finds peers to connect to: {@code MulticastDiscovery}, {@code MemoryDiscovery} or {@code
     * StaticDiscovery}. Needs a transport. Default: none.
     */
    public Builder discovery(NodeDiscovery discovery) {
      this.discovery = discovery;
      return this;
    }

    /** This node's id; default: a random UUID. */
    public Builder nodeId(String nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    /** Default: {@value TopicPath#DEFAULT_NETWORK}. */
    public Builder networkId(String networkId) {
      Objects.requireNonNull(networkId, "networkId");
      checkArgument(
          !networkId.isEmpty() && networkId.indexOf(':') < 0 && networkId.indexOf('/') < 0,
          "bad network id '%s'",
          networkId);
      this.networkId = networkId;
      return this;
    }

    /** Default: 30 seconds. */
    public Builder requestTimeout(Duration requestTimeout) {
      checkArgument(!requestTimeout.isNegative() && !requestTimeout.isZero(), "timeout <= 0");
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** Default: 5 seconds. */
    public Builder shutdownGracePeriod(Duration shutdownGracePeriod) {
      checkArgument(!shutdownGracePeriod.isNegative(), "grace period < 0");
      this.shutdownGracePeriod = shutdownGracePeriod;
      return this;
    }

    /**
     * The executor for handlers and subscribers (virtual threads, say: {@code
     * Executors.newVirtualThreadPerTaskExecutor()} on Java 21+, the best choice for handlers that
     * block). The node does not shut it down. Default: a pool the node owns that starts a thread
     * whenever all are busy, up to {@link #maxHandlerThreads}, then queues up to 10,000 calls;
     * beyond that, calls fail with RESOURCE_EXHAUSTED.
     */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Run handlers and subscribers on the calling or publishing thread instead of the executor.
     * Faster for handlers that never block; a blocking handler then blocks its caller. Default:
     * false.
     */
    public Builder directExecution(boolean directExecution) {
      this.directExecution = directExecution;
      return this;
    }

    /**
     * The most threads the node's own handler pool runs at once. Handlers that block (for example
     * on a blocking stub calling another node, which may call back here) each hold one, so this
     * bounds how many such handlers can wait at once before further calls queue. Default: 256.
     */
    public Builder maxHandlerThreads(int maxHandlerThreads) {
      checkArgument(maxHandlerThreads > 0, "maxHandlerThreads <= 0");
      this.maxHandlerThreads = maxHandlerThreads;
      return this;
    }

    /** Default: 1024; the least recently published topic's event is dropped beyond it. */
    public Builder maxRetainedEvents(int maxRetainedEvents) {
      checkArgument(maxRetainedEvents >= 0, "maxRetainedEvents < 0");
      this.maxRetainedEvents = maxRetainedEvents;
      return this;
    }

    public NodeConfig build() {
      return new NodeConfig(this);
    }
  }
}
