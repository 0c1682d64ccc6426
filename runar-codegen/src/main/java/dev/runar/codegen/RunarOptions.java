package dev.runar.codegen;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Runar's custom options ({@code runar/options.proto}) off the descriptors protoc hands the
 * generator. The generator cannot depend on classes generated from that file (it belongs to the
 * build that generates them), so it takes the option schema from the request itself: protoc always
 * sends the descriptors of imported files. Option values arrive as unknown fields of the standard
 * option messages and are decoded against that schema.
 *
 * <p>A value the runtime would refuse fails generation with a {@link GeneratorException} naming the
 * option's {@code file:line:col}, what is wrong, and what a valid value looks like.
 */
final class RunarOptions {
  static final String OPTIONS_FILE = "runar/options.proto";

  /** What each kind of path may hold, and examples of valid ones. */
  private enum PathKind {
    SERVICE("(runar.service).path", false, "\"greeter\", \"greeter/v1\" or \"rooms/{room}\""),
    ACTION("(runar.action).name", false, "\"hello\" or \"items/{id}/get\""),
    TOPIC("(runar.event).topic", true, "\"greeter/greeted\" or \"sensors/kitchen/temperature\"");

    final String option;
    final boolean concrete;
    final String examples;

    PathKind(String option, boolean concrete, String examples) {
      this.option = option;
      this.concrete = concrete;
      this.examples = examples;
    }
  }

  private final Optional<FieldDescriptor> serviceExtension;
  private final Optional<FieldDescriptor> actionExtension;
  private final Optional<FieldDescriptor> eventExtension;

  private RunarOptions(Optional<FileDescriptor> optionsFile) {
    this.serviceExtension = optionsFile.map(f -> f.findExtensionByName("service"));
    this.actionExtension = optionsFile.map(f -> f.findExtensionByName("action"));
    this.eventExtension = optionsFile.map(f -> f.findExtensionByName("event"));
  }

  /** Options as declared by {@code runar/options.proto} among {@code files}, if it is there. */
  static RunarOptions from(Map<String, FileDescriptor> files) {
    return new RunarOptions(Optional.ofNullable(files.get(OPTIONS_FILE)));
  }

  /** {@code (runar.service).path}, or "" when unset. */
  String servicePath(ServiceDescriptor service) {
    String path =
        read(service, service.toProto().getOptions().getUnknownFields(), serviceExtension, "path")
            .orElse("");
    return path.isEmpty() ? path : checkPath(service, serviceExtension, path, PathKind.SERVICE);
  }

  /** {@code (runar.service).version}, or "" when unset. */
  String serviceVersion(ServiceDescriptor service) {
    return read(
            service, service.toProto().getOptions().getUnknownFields(), serviceExtension, "version")
        .orElse("");
  }

  /** {@code (runar.action).name}, or "" when unset. */
  String actionName(MethodDescriptor method) {
    String name =
        read(method, method.toProto().getOptions().getUnknownFields(), actionExtension, "name")
            .orElse("");
    return name.isEmpty() ? name : checkPath(method, actionExtension, name, PathKind.ACTION);
  }

  /**
   * {@code (runar.event).topic}, or empty when the message is no event.
   *
   * @throws GeneratorException when the option is there but its topic is empty or not concrete
   */
  Optional<String> eventTopic(Descriptor message) {
    return read(message, message.toProto().getOptions().getUnknownFields(), eventExtension, "topic")
        .map(topic -> checkPath(message, eventExtension, topic, PathKind.TOPIC));
  }

  /**
   * Checks a path option the way the runtime will parse it, so a bad one fails the build, not the
   * first call: non-empty segments separated by '/', no network prefix; a concrete path (topics)
   * has no {@code {template}}, {@code *} or {@code >}; others may have templates but no wildcards.
   */
  private static String checkPath(
      GenericDescriptor element, Optional<FieldDescriptor> extension, String path, PathKind kind) {
    Optional<String> problem = problem(path, kind.concrete);
    if (problem.isPresent()) {
      throw new GeneratorException(
          ProtoLocations.describe(element, extension.map(FieldDescriptor::getNumber).orElse(0)),
          element.getFullName()
              + ": "
              + kind.option
              + " '"
              + path
              + "' is not a valid "
              + (kind.concrete ? "topic" : "path")
              + ": "
              + problem.get()
              + "; write one or more segments separated by '/', e.g. "
              + kind.examples);
    }
    return path;
  }

  /** What is wrong with {@code path}, if anything. */
  static Optional<String> problem(String path, boolean concrete) {
    if (path.isEmpty()) {
      return Optional.of("it is empty");
    }
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      String which = "segment " + (i + 1) + " of " + segments.length;
      boolean template = segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2;
      if (segment.isEmpty()) {
        return Optional.of(which + " is empty (a leading, trailing or doubled '/')");
      } else if (segment.contains(":")) {
        return Optional.of(which + " ('" + segment + "') has a ':': no network prefix here");
      } else if (segment.equals("*") || segment.equals(">")) {
        return Optional.of(
            which + " is the wildcard '" + segment + "': only subscriptions take wildcards");
      } else if (concrete && template) {
        return Optional.of(which + " ('" + segment + "') is a template: a topic is concrete");
      } else if (!template && (segment.contains("{") || segment.contains("}"))) {
        return Optional.of(
            which
                + " ('"
                + segment
                + "') has a stray brace: a template is a whole segment, as in {room}");
      }
    }
    return Optional.empty();
  }

  /** A string field of the option message, when the option is set on the element. */
  private static Optional<String> read(
      GenericDescriptor element,
      UnknownFieldSet options,
      Optional<FieldDescriptor> extension,
      String field) {
    if (extension.isEmpty() || !options.hasField(extension.get().getNumber())) {
      return Optional.empty();
    }
    FieldDescriptor ext = extension.get();
    List<ByteString> occurrences = options.getField(ext.getNumber()).getLengthDelimitedList();
    DynamicMessage.Builder value = DynamicMessage.newBuilder(ext.getMessageType());
    try {
      for (ByteString bytes : occurrences) {
        value.mergeFrom(bytes); // repeated occurrences of a message option merge, as in protoc
      }
    } catch (InvalidProtocolBufferException e) {
      throw new GeneratorException(
          ProtoLocations.describe(element, ext.getNumber()),
          "malformed option " + ext.getFullName() + ": " + e.getMessage());
    }
    return Optional.of((String) value.getField(ext.getMessageType().findFieldByName(field)));
  }
}
