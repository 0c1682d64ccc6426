package dev.runar;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.runar.network.Addresses;
import dev.runar.network.Peers;
import dev.runar.registry.TopicPath;
import dev.runar.registry.proto.ActionInfo;
import dev.runar.registry.proto.DescribeServiceRequest;
import dev.runar.registry.proto.ListPeersRequest;
import dev.runar.registry.proto.ListPeersResponse;
import dev.runar.registry.proto.ListServicesRequest;
import dev.runar.registry.proto.ListServicesResponse;
import dev.runar.registry.proto.PeerInfo;
import dev.runar.registry.proto.ServiceInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code $registry}: the introspection service every node hosts, answering through the ordinary
 * request path. {@code $registry/services/list} lists every hosted service; {@code
 * $registry/services/describe} describes the one at a path, or fails with NOT_FOUND; {@code
 * $registry/services/descriptors} gives the {@code FileDescriptorProto} of every hosted service
 * generated from a .proto file, with every file they import, dependencies first (what a gRPC
 * gateway, reflection or a CLI needs to read and write its messages); {@code $registry/peers/list}
 * lists the other nodes it knows of, with their state.
 */
final class RegistryService {
  static final String PATH = "$registry";
  static final MethodDescriptor<ListServicesRequest, ListServicesResponse> LIST =
      MethodDescriptor.unary(
          PATH,
          "services/list",
          ListServicesRequest.getDefaultInstance(),
          ListServicesResponse.getDefaultInstance());
  static final MethodDescriptor<DescribeServiceRequest, ServiceInfo> DESCRIBE =
      MethodDescriptor.unary(
          PATH,
          "services/describe",
          DescribeServiceRequest.getDefaultInstance(),
          ServiceInfo.getDefaultInstance());
  static final MethodDescriptor<ListServicesRequest, FileDescriptorSet> DESCRIPTORS =
      MethodDescriptor.unary(
          PATH,
          "services/descriptors",
          ListServicesRequest.getDefaultInstance(),
          FileDescriptorSet.getDefaultInstance());

  static final MethodDescriptor<ListPeersRequest, ListPeersResponse> PEERS =
      MethodDescriptor.unary(
          PATH,
          "peers/list",
          ListPeersRequest.getDefaultInstance(),
          ListPeersResponse.getDefaultInstance());

  private RegistryService() {}

  /**
   * @param peers the node's peers (asked on each call: a node's networking is set up after its
   *     registry service)
   */
  static ServiceDefinition definition(
      ServiceRegistry registry, String networkId, Supplier<Peers> peers) {
    return ServiceDefinition.builder(PATH)
        .name("Registry")
        .version("1.0.0")
        .description("Lists and describes the services this node hosts.")
        .unary(
            LIST,
            (request, context) -> {
              ListServicesResponse.Builder reply = ListServicesResponse.newBuilder();
              registry.services().forEach(s -> reply.addServices(info(s)));
              return CompletableFuture.completedFuture(reply.build());
            })
        .unary(
            DESCRIBE,
            (request, context) ->
                CompletableFuture.completedFuture(
                    info(
                        service(registry, networkId, request.getPath())
                            .orElseThrow(
                                () ->
                                    Status.NOT_FOUND
                                        .withDescription("no service at " + request.getPath())
                                        .asException()))))
        .unary(
            DESCRIPTORS,
            (request, context) -> CompletableFuture.completedFuture(descriptors(registry)))
        .unary(
            PEERS,
            (request, context) -> {
              ListPeersResponse.Builder reply = ListPeersResponse.newBuilder();
              peers.get().all().forEach(p -> reply.addPeers(info(p)));
              return CompletableFuture.completedFuture(reply.build());
            })
        .build();
  }

  /** The files of every hosted service with a proto descriptor, each once, imports first. */
  static FileDescriptorSet descriptors(ServiceRegistry registry) {
    Map<String, FileDescriptor> files = new LinkedHashMap<>();
    registry
        .services()
        .forEach(
            s ->
                s.definition()
                    .protoDescriptor()
                    .ifPresent(d -> addWithImports(d.getFile(), files)));
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    files.values().forEach(f -> set.addFile(f.toProto()));
    return set.build();
  }

  private static Optional<HostedService> service(
      ServiceRegistry registry, String networkId, String path) {
    try {
      return registry.get(TopicPath.parse(path, networkId));
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
    }
  }

  private static void addWithImports(FileDescriptor file, Map<String, FileDescriptor> files) {
    if (files.containsKey(file.getName())) {
      return;
    }
    for (FileDescriptor dependency : file.getDependencies()) {
      addWithImports(dependency, files);
    }
    files.put(file.getName(), file);
  }

  private static PeerInfo info(Peers.Peer peer) {
    PeerInfo.Builder info =
        PeerInfo.newBuilder()
            .setNodeId(peer.nodeId())
            .setState(peer.state().name())
            .setCapabilityVersion(peer.capabilityVersion());
    peer.addresses().forEach(a -> info.addAddresses(Addresses.format(a)));
    // Only a connected peer's services can be called: a stale list would mislead.
    if (peer.info() != null && peer.state() == Peers.PeerState.CONNECTED) {
      peer.info().getServicesList().forEach(s -> info.addServices(s.getPath()));
    }
    return info.build();
  }

  private static ServiceInfo info(HostedService service) {
    ServiceDefinition d = service.definition();
    ServiceInfo.Builder info =
        ServiceInfo.newBuilder()
            .setPath(service.path().toString())
            .setName(d.name())
            .setVersion(d.version())
            .setDescription(d.description())
            .setState(service.state().name());
    for (HostedService.Action action : service.actions()) {
      MethodDescriptor<?, ?> m = action.method().descriptor();
      info.addActions(
          ActionInfo.newBuilder()
              .setPath(action.path().toString())
              .setName(m.actionName())
              .setType(m.type().name())
              .setRequestType(m.requestPrototype().getDescriptorForType().getFullName())
              .setResponseType(m.responsePrototype().getDescriptorForType().getFullName()));
    }
    return info.build();
  }
}
