package dev.runar.grpc.gateway;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.runar.MethodDescriptor.MethodType;
import dev.runar.options.ActionOptions;
import dev.runar.options.Options;
import dev.runar.options.ServiceOptions;
import dev.runar.registry.TopicPath;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the node can reach (its own services and its peers', each as the Runar paths hosted
 * and the files describing them) into the gRPC services to serve: one per proto service whose Runar
 * path someone hosts, named by its full proto name, each rpc mapped to its Runar action path (the
 * {@code runar.service}/{@code runar.action} options, else the proto names).
 *
 * <p>Keeps one {@link FileDescriptor} per file name for the gateway's life, so that reflection sees
 * each file once whichever node described it; the first description of a name wins (a peer with a
 * different file of the same name is logged). Not thread-safe: the gateway uses it from its one
 * refresh thread.
 */
final class ServiceCatalog {
  private static final Logger log = LoggerFactory.getLogger(ServiceCatalog.class);
  private static final ExtensionRegistry RUNAR_OPTIONS = ExtensionRegistry.newInstance();

  static {
    Options.registerAllExtensions(RUNAR_OPTIONS);
  }

  /** One rpc, served at {@code /service/method}, called at the Runar action {@code runar}. */
  record Method(MethodDescriptor proto, dev.runar.MethodDescriptor<RawMessage, RawMessage> runar) {}

  /** One proto service that some node hosts, at its Runar path. */
  record Service(ServiceDescriptor proto, String runarPath, ImmutableList<Method> methods) {
    String name() {
      return proto.getFullName();
    }
  }

  /** What one node offers: the Runar service paths it hosts, and the files describing them. */
  record Source(String nodeId, ImmutableSet<String> hostedPaths, FileDescriptorSet files) {}

  private final Map<String, FileDescriptor> files = new HashMap<>();
  private final Map<String, FileDescriptorProto> fileProtos = new HashMap<>();

  /**
   * The services to serve, by gRPC service name: the union over {@code sources} (a service several
   * nodes host appears once; the node routes among them).
   */
  ImmutableMap<String, Service> services(Iterable<Source> sources) {
    Map<String, Service> out = new LinkedHashMap<>();
    for (Source source : sources) {
      for (FileDescriptor file : build(source)) {
        for (ServiceDescriptor service : file.getServices()) {
          String path = servicePath(service);
          if (source.hostedPaths().contains(path) && !out.containsKey(service.getFullName())) {
            if (isPattern(path)) {
              log.debug(
                  "{} lives at the pattern {}: gRPC cannot address it",
                  service.getFullName(),
                  path);
              continue;
            }
            out.put(service.getFullName(), service(service, path));
          }
        }
      }
    }
    return ImmutableMap.copyOf(out);
  }

  /** {@code path} without its network: how sources name hosted services. */
  static String withoutNetwork(String path) {
    return TopicPath.parse(path).actionPath();
  }

  private static boolean isPattern(String path) {
    try {
      return TopicPath.parse(path).isPattern();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private static Service service(ServiceDescriptor service, String path) {
    ImmutableList.Builder<Method> methods = ImmutableList.builder();
    for (MethodDescriptor m : service.getMethods()) {
      dev.runar.MethodDescriptor<RawMessage, RawMessage> runar =
          dev.runar.MethodDescriptor.create(
                  type(m),
                  path,
                  actionName(m),
                  RawMessage.prototype(m.getInputType()),
                  RawMessage.prototype(m.getOutputType()))
              .withIdempotencyLevel(m.getOptions().getIdempotencyLevel());
      methods.add(new Method(m, runar));
    }
    return new Service(service, path, methods.build());
  }

  static MethodType type(MethodDescriptor m) {
    if (m.isClientStreaming()) {
      return m.isServerStreaming() ? MethodType.BIDI_STREAMING : MethodType.CLIENT_STREAMING;
    }
    return m.isServerStreaming() ? MethodType.SERVER_STREAMING : MethodType.UNARY;
  }

  /** The service's Runar path: its {@code (runar.service).path}, else its full proto name. */
  static String servicePath(ServiceDescriptor service) {
    try {
      DescriptorProtos.ServiceOptions options =
          DescriptorProtos.ServiceOptions.parseFrom(
              service.getOptions().toByteString(), RUNAR_OPTIONS);
      ServiceOptions runar = options.getExtension(Options.service);
      return runar.getPath().isEmpty() ? service.getFullName() : runar.getPath();
    } catch (InvalidProtocolBufferException e) {
      return service.getFullName();
    }
  }

  /** The rpc's Runar action name: its {@code (runar.action).name}, else the rpc's name. */
  static String actionName(MethodDescriptor method) {
    try {
      DescriptorProtos.MethodOptions options =
          DescriptorProtos.MethodOptions.parseFrom(
              method.getOptions().toByteString(), RUNAR_OPTIONS);
      ActionOptions runar = options.getExtension(Options.action);
      return runar.getName().isEmpty() ? method.getName() : runar.getName();
    } catch (InvalidProtocolBufferException e) {
      return method.getName();
    }
  }

  /** The source's files, built (or reused) in order: the set lists imports first. */
  private ImmutableList<FileDescriptor> build(Source source) {
    ImmutableList.Builder<FileDescriptor> built = ImmutableList.builder();
    for (FileDescriptorProto proto : source.files().getFileList()) {
      FileDescriptor known = files.get(proto.getName());
      if (known != null) {
        if (!fileProtos.get(proto.getName()).equals(proto)) {
          log.warn(
              "node {} describes {} differently from an earlier node: keeping the first description",
              source.nodeId(),
              proto.getName());
        }
        built.add(known);
        continue;
      }
      FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
      boolean complete = true;
      for (int i = 0; i < dependencies.length; i++) {
        dependencies[i] = files.get(proto.getDependency(i));
        complete &= dependencies[i] != null;
      }
      if (!complete) {
        log.warn(
            "node {} described {} without all of its imports: skipped",
            source.nodeId(),
            proto.getName());
        continue;
      }
      try {
        FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
        files.put(proto.getName(), file);
        fileProtos.put(proto.getName(), proto);
        built.add(file);
      } catch (DescriptorValidationException e) {
        log.warn(
            "node {} described {} wrongly: {}", source.nodeId(), proto.getName(), e.getMessage());
      }
    }
    return built.build();
  }
}
