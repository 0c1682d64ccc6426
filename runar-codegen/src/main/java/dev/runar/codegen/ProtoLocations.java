package dev.runar.codegen;

import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a descriptor, or one of its options, was written in its .proto file: the paths of
 * descriptor.proto's {@link SourceCodeInfo} (present when protoc ran with {@code
 * --include_source_info}) turned into {@code file.proto:line:col}, as protoc reports its own
 * errors.
 */
final class ProtoLocations {
  // Field numbers in descriptor.proto that make up SourceCodeInfo location paths.
  private static final int FILE_MESSAGE_TYPE = 4;
  private static final int FILE_SERVICE = 6;
  private static final int MESSAGE_NESTED_TYPE = 3;
  private static final int MESSAGE_OPTIONS = 7;
  private static final int SERVICE_METHOD = 2;
  private static final int SERVICE_OPTIONS = 3;
  private static final int METHOD_OPTIONS = 4;

  private ProtoLocations() {}

  /** The SourceCodeInfo path of a service, an rpc or a message. */
  static List<Integer> path(GenericDescriptor element) {
    List<Integer> path = new ArrayList<>();
    if (element instanceof ServiceDescriptor service) {
      path.add(FILE_SERVICE);
      path.add(service.getIndex());
    } else if (element instanceof MethodDescriptor method) {
      path.addAll(path(method.getService()));
      path.add(SERVICE_METHOD);
      path.add(method.getIndex());
    } else if (element instanceof Descriptor message) {
      for (Descriptor d = message; d != null; d = d.getContainingType()) {
        path.add(0, d.getIndex());
        path.add(0, d.getContainingType() == null ? FILE_MESSAGE_TYPE : MESSAGE_NESTED_TYPE);
      }
    } else {
      throw new IllegalArgumentException("no source path for " + element.getFullName());
    }
    return path;
  }

  /** The path of the {@code extension} option set on {@code element}. */
  static List<Integer> optionPath(GenericDescriptor element, int extension) {
    List<Integer> path = path(element);
    if (element instanceof ServiceDescriptor) {
      path.add(SERVICE_OPTIONS);
    } else if (element instanceof MethodDescriptor) {
      path.add(METHOD_OPTIONS);
    } else {
      path.add(MESSAGE_OPTIONS);
    }
    path.add(extension);
    return path;
  }

  /** The location of exactly {@code path}. */
  static Optional<SourceCodeInfo.Location> at(FileDescriptor file, List<Integer> path) {
    return file.toProto().getSourceCodeInfo().getLocationList().stream()
        .filter(l -> l.getPathList().equals(path))
        .findFirst();
  }

  /** The first location whose path starts with {@code prefix}. */
  static Optional<SourceCodeInfo.Location> find(FileDescriptor file, List<Integer> prefix) {
    for (SourceCodeInfo.Location location : file.toProto().getSourceCodeInfo().getLocationList()) {
      List<Integer> path = location.getPathList();
      if (path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix)) {
        return Optional.of(location);
      }
    }
    return Optional.empty();
  }

  /** {@code file.proto:line:col} of {@code element}, or just the file name without source info. */
  static String describe(GenericDescriptor element) {
    return describe(element.getFile(), at(element.getFile(), path(element)));
  }

  /**
   * {@code file.proto:line:col} of the {@code extension} option on {@code element}, else of the
   * element itself, else just the file name (a descriptor set without source info).
   */
  static String describe(GenericDescriptor element, int extension) {
    Optional<SourceCodeInfo.Location> option =
        find(element.getFile(), optionPath(element, extension));
    return option.isPresent() ? describe(element.getFile(), option) : describe(element);
  }

  private static String describe(FileDescriptor file, Optional<SourceCodeInfo.Location> location) {
    return location
        .map(l -> file.getName() + ':' + (l.getSpan(0) + 1) + ':' + (l.getSpan(1) + 1))
        .orElse(file.getName());
  }
}
