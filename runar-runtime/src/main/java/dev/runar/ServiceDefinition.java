package dev.runar;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import dev.runar.registry.TopicPath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a node needs to host a service: its path, descriptive metadata, its actions with their
 * handlers, and its lifecycle hooks. Generated server bases build one in {@code bindService()};
 * hand-written services use the {@link #builder}:
 *
 * <pre>{@code
 * ServiceDefinition math = ServiceDefinition.builder("math")
 *     .version("1.0.0")
 *     .unary(ADD, (req, ctx) -> CompletableFuture.completedFuture(sum(req)))
 *     .build();
 * node.addService(math);
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ServiceDefinition {
  private final String path;
  private final String name;
  private final String version;
  private final String description;
  private final ImmutableMap<String, ServerMethod<?, ?>> methods;
  private final ServiceLifecycle lifecycle;
  private final Optional<Descriptors.ServiceDescriptor> protoDescriptor;
  private final ImmutableList<ServerInterceptor> interceptors;

  private ServiceDefinition(Builder b) {
    this.path = b.path;
    this.name = b.name == null ? b.path : b.name;
    this.version = b.version;
    this.description = b.description;
    this.methods = ImmutableMap.copyOf(b.methods);
    this.lifecycle = b.lifecycle;
    this.protoDescriptor = b.protoDescriptor;
    this.interceptors = b.interceptors.build();
  }

  /**
   * A copy whose calls also go through {@code interceptors}, after this definition's own (what a
   * generated service's {@code bindService()} result is wrapped with, as grpc-java's {@code
   * ServerInterceptors.intercept}).
   */
  public ServiceDefinition withInterceptors(ServerInterceptor... interceptors) {
    Builder b = new Builder(path).name(name).version(version).description(description);
    b.methods.putAll(methods);
    b.lifecycle = lifecycle;
    b.protoDescriptor = protoDescriptor;
    b.interceptors.addAll(this.interceptors);
    for (ServerInterceptor i : interceptors) {
      b.interceptor(i);
    }
    return b.build();
  }

  /** The service's own interceptors, run after the node's; see {@link ServerInterceptor}. */
  public ImmutableList<ServerInterceptor> interceptors() {
    return interceptors;
  }

  /**
   * Starts a definition for the service at {@code path} (one or more segments, templates allowed; a
   * {@code network:} prefix pins it to that network instead of the node's own).
   */
  public static Builder builder(String path) {
    return new Builder(path);
  }

  public String path() {
    return path;
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public String description() {
    return description;
  }

  /**
   * The proto service this definition was generated from, with its file and imports; empty for a
   * service built by hand without one. {@code $registry/services/descriptors} lists these.
   */
  public Optional<Descriptors.ServiceDescriptor> protoDescriptor() {
    return protoDescriptor;
  }

  /** Descriptors of the service's actions, in declaration order. */
  public Iterable<MethodDescriptor<?, ?>> methods() {
    return methods.values().stream().<MethodDescriptor<?, ?>>map(ServerMethod::descriptor)
        ::iterator;
  }

  ImmutableMap<String, ServerMethod<?, ?>> serverMethods() {
    return methods;
  }

  ServiceLifecycle lifecycle() {
    return lifecycle;
  }

  /** Builds a {@link ServiceDefinition}. */
  public static final class Builder {
    private final String path;
    private String name;
    private String version = "0.0.0";
    private String description = "";
    private final Map<String, ServerMethod<?, ?>> methods = new LinkedHashMap<>();
    private ServiceLifecycle lifecycle = new ServiceLifecycle() {};
    private Optional<Descriptors.ServiceDescriptor> protoDescriptor = Optional.empty();
    private final ImmutableList.Builder<ServerInterceptor> interceptors = ImmutableList.builder();

    private Builder(String path) {
      TopicPath.parse(Objects.requireNonNull(path, "path")); // validates
      checkArgument(
          !path.contains(">") && !path.contains("*"), "wildcard in service path %s", path);
      this.path = path;
    }

    /** A display name; defaults to the path. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** The proto service the actions come from: what generated server bases pass. */
    public Builder protoDescriptor(Descriptors.ServiceDescriptor descriptor) {
      this.protoDescriptor = Optional.of(Objects.requireNonNull(descriptor, "descriptor"));
      return this;
    }

    /** Adds an interceptor of this service's calls (after those added before). */
    public Builder interceptor(ServerInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** Lifecycle hooks; by default none. */
    public Builder lifecycle(ServiceLifecycle lifecycle) {
      this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
      return this;
    }

    /** Adds a unary action served by {@code handler}. */
    public <ReqT extends Message, RespT extends Message> Builder unary(
        MethodDescriptor<ReqT, RespT> method, UnaryHandler<ReqT, RespT> handler) {
      checkArgument(
          method.type() == MethodDescriptor.MethodType.UNARY, "%s is not unary", method.path());
      return add(new ServerMethod<>(method, Objects.requireNonNull(handler, "handler"), null));
    }

    /** Adds a client-, server- or bidirectional-streaming action served by {@code handler}. */
    public <ReqT extends Message, RespT extends Message> Builder streaming(
        MethodDescriptor<ReqT, RespT> method, StreamingHandler<ReqT, RespT> handler) {
      checkArgument(
          method.type() != MethodDescriptor.MethodType.UNARY, "%s is unary", method.path());
      return add(new ServerMethod<>(method, null, Objects.requireNonNull(handler, "handler")));
    }

    private Builder add(ServerMethod<?, ?> method) {
      MethodDescriptor<?, ?> descriptor = method.descriptor();
      checkArgument(
          descriptor.servicePath().equals(path),
          "%s does not belong to service %s",
          descriptor.path(),
          path);
      checkArgument(
          methods.putIfAbsent(descriptor.actionName(), method) == null,
          "action %s declared twice",
          descriptor.path());
      return this;
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(this);
    }
  }
}
