package dev.runar.cli;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.runar.CallOptions;
import dev.runar.Node;
import dev.runar.Status;
import dev.runar.network.Peers.Peer;
import dev.runar.options.Options;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the connected nodes describe of themselves: the {@code .proto} files of the services they
 * host (asked of each node's {@code $registry/services/descriptors}), so that the command can read
 * and write their messages as JSON without any local {@code .proto}. The first node to describe a
 * file wins. Immutable once fetched.
 */
final class Catalog {
  private static final ExtensionRegistry RUNAR_OPTIONS = ExtensionRegistry.newInstance();

  static {
    Options.registerAllExtensions(RUNAR_OPTIONS);
  }

  /** One rpc of a proto service, at its Runar path. */
  record ProtoMethod(ServiceDescriptor service, MethodDescriptor method, String runarPath) {}

  private final ImmutableMap<String, FileDescriptor> files;
  private final ImmutableMap<String, Descriptor> messages;
  private final ImmutableList<ProtoMethod> methods;
  private final JsonFormat.TypeRegistry types;

  private Catalog(Map<String, FileDescriptor> files) {
    this.files = ImmutableMap.copyOf(files);
    Map<String, Descriptor> messages = new LinkedHashMap<>();
    List<ProtoMethod> methods = new ArrayList<>();
    JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder();
    for (FileDescriptor file : files.values()) {
      for (Descriptor message : file.getMessageTypes()) {
        addMessage(message, messages);
      }
      for (ServiceDescriptor service : file.getServices()) {
        for (MethodDescriptor m : service.getMethods()) {
          methods.add(new ProtoMethod(service, m, servicePath(service) + "/" + actionName(m)));
        }
      }
    }
    messages.values().forEach(types::add);
    this.messages = ImmutableMap.copyOf(messages);
    this.methods = ImmutableList.copyOf(methods);
    this.types = types.build();
  }

  private static void addMessage(Descriptor message, Map<String, Descriptor> messages) {
    messages.put(message.getFullName(), message);
    message.getNestedTypes().forEach(n -> addMessage(n, messages));
  }

  /** A catalog of {@code files} (their own message types, not their dependencies'). */
  static Catalog of(List<FileDescriptor> files) {
    Map<String, FileDescriptor> byName = new LinkedHashMap<>();
    files.forEach(f -> byName.put(f.getName(), f));
    return new Catalog(byName);
  }

  /** Asks every node in {@code peers} for its descriptors, each within {@code timeout}. */
  static Catalog fetch(Node node, List<Peer> peers, Duration timeout, PrintWriter err) {
    Map<String, CompletableFuture<FileDescriptorSet>> asked = new LinkedHashMap<>();
    for (Peer peer : peers) {
      asked.put(
          peer.nodeId(),
          node.peerDescriptors(peer.nodeId(), CallOptions.DEFAULT.withTimeout(timeout)));
    }
    Map<String, FileDescriptor> files = new LinkedHashMap<>();
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    asked.forEach(
        (nodeId, reply) -> {
          try {
            FileDescriptorSet set = reply.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            addAll(nodeId, set, files, protos, err);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            err.println(
                "runar: node "
                    + nodeId
                    + " did not describe its services: "
                    + Status.fromThrowable(e).code()
                    + " "
                    + Optional.ofNullable(Status.fromThrowable(e).description()).orElse(""));
          }
        });
    return new Catalog(files);
  }

  private static void addAll(
      String nodeId,
      FileDescriptorSet set,
      Map<String, FileDescriptor> files,
      Map<String, FileDescriptorProto> protos,
      PrintWriter err) {
    for (FileDescriptorProto proto : set.getFileList()) {
      if (files.containsKey(proto.getName())) {
        if (!protos.get(proto.getName()).equals(proto)) {
          err.println(
              "runar: node "
                  + nodeId
                  + " describes "
                  + proto.getName()
                  + " differently from another node: using the first description");
        }
        continue;
      }
      FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
      for (int i = 0; i < dependencies.length; i++) {
        dependencies[i] = files.get(proto.getDependency(i));
        if (dependencies[i] == null) {
          err.println(
              "runar: node " + nodeId + " described " + proto.getName() + " without its imports");
          return;
        }
      }
      try {
        files.put(proto.getName(), FileDescriptor.buildFrom(proto, dependencies));
        protos.put(proto.getName(), proto);
      } catch (DescriptorValidationException e) {
        err.println("runar: node " + nodeId + " described " + proto.getName() + " wrongly: " + e);
      }
    }
  }

  /** The message type {@code fullName}, when a node described it. */
  Optional<Descriptor> message(String fullName) {
    return Optional.ofNullable(messages.get(fullName));
  }

  /** Every message type described, by full name. */
  ImmutableMap<String, Descriptor> messages() {
    return messages;
  }

  /** Every rpc described, with the Runar path it is served at. */
  ImmutableList<ProtoMethod> methods() {
    return methods;
  }

  /** Every file described, by name. */
  ImmutableMap<String, FileDescriptor> files() {
    return files;
  }

  /** For JSON of {@code google.protobuf.Any} fields. */
  JsonFormat.TypeRegistry types() {
    return types;
  }

  /** The rpc served at the Runar {@code path} (without network), if a node described it. */
  Optional<ProtoMethod> methodAt(String path) {
    return methods.stream().filter(m -> m.runarPath().equals(path)).findFirst();
  }

  /** The rpc named {@code package.Service/Method}, as in gRPC, if a node described it. */
  Optional<ProtoMethod> methodNamed(String protoName) {
    return methods.stream()
        .filter(m -> (m.service().getFullName() + "/" + m.method().getName()).equals(protoName))
        .findFirst();
  }

  /** The message types whose {@code (runar.event).topic} is {@code topic} (without network). */
  ImmutableList<Descriptor> eventTypes(String topic) {
    return messages.values().stream()
        .filter(m -> eventTopic(m).filter(topic::equals).isPresent())
        .collect(ImmutableList.toImmutableList());
  }

  /** The message's {@code (runar.event).topic}, if it declares one. */
  static Optional<String> eventTopic(Descriptor message) {
    try {
      DescriptorProtos.MessageOptions options =
          DescriptorProtos.MessageOptions.parseFrom(
              message.getOptions().toByteString(), RUNAR_OPTIONS);
      String topic = options.getExtension(Options.event).getTopic();
      return topic.isEmpty() ? Optional.empty() : Optional.of(topic);
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  /** The service's Runar path: its {@code (runar.service).path}, else its full proto name. */
  static String servicePath(ServiceDescriptor service) {
    try {
      DescriptorProtos.ServiceOptions options =
          DescriptorProtos.ServiceOptions.parseFrom(
              service.getOptions().toByteString(), RUNAR_OPTIONS);
      String path = options.getExtension(Options.service).getPath();
      return path.isEmpty() ? service.getFullName() : path;
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
      String name = options.getExtension(Options.action).getName();
      return name.isEmpty() ? method.getName() : name;
    } catch (InvalidProtocolBufferException e) {
      return method.getName();
    }
  }
}
