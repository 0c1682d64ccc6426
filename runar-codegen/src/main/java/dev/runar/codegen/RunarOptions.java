package dev.runar.codegen;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import java.util.Map;

/**
 * Reads Runar's custom options ({@code runar/options.proto}) off the descriptors protoc hands the
 * generator. The generator cannot depend on classes generated from that file (it belongs to the
 * build that generates them), so it takes the option schema from the request itself: protoc always
 * sends the descriptors of imported files. Option values arrive as unknown fields of the standard
 * option messages and are decoded against that schema.
 */
final class RunarOptions {
  static final String OPTIONS_FILE = "runar/options.proto";

  private final FieldDescriptor serviceExtension;
  private final FieldDescriptor actionExtension;
  private final FieldDescriptor eventExtension;

  private RunarOptions(FileDescriptor optionsFile) {
    this.serviceExtension = optionsFile == null ? null : optionsFile.findExtensionByName("service");
    this.actionExtension = optionsFile == null ? null : optionsFile.findExtensionByName("action");
    this.eventExtension = optionsFile == null ? null : optionsFile.findExtensionByName("event");
  }

  /** Options as declared by {@code runar/options.proto} among {@code files}, if it is there. */
  static RunarOptions from(Map<String, FileDescriptor> files) {
    return new RunarOptions(files.get(OPTIONS_FILE));
  }

  /** {@code (runar.service).path}, or "" when unset. */
  String servicePath(ServiceDescriptor service) {
    String path = read(service.toProto().getOptions().getUnknownFields(), serviceExtension, "path");
    return checkPath(path, false, service.getFullName() + ": (runar.service).path");
  }

  /** {@code (runar.service).version}, or "" when unset. */
  String serviceVersion(ServiceDescriptor service) {
    return read(service.toProto().getOptions().getUnknownFields(), serviceExtension, "version");
  }

  /** {@code (runar.action).name}, or "" when unset. */
  String actionName(MethodDescriptor method) {
    String name = read(method.toProto().getOptions().getUnknownFields(), actionExtension, "name");
    return checkPath(name, false, method.getFullName() + ": (runar.action).name");
  }

  /** {@code (runar.event).topic}, or "" when the message is no event. */
  String eventTopic(Descriptor message) {
    String topic = read(message.toProto().getOptions().getUnknownFields(), eventExtension, "topic");
    return checkPath(topic, true, message.getFullName() + ": (runar.event).topic");
  }

  /**
   * Checks a path option the way the runtime will parse it, so a bad one fails the build, not the
   * first call: non-empty segments separated by '/', no network prefix; a concrete path (topics)
   * has no {@code {template}}, {@code *} or {@code >}; others may have templates but no wildcards.
   */
  private static String checkPath(String path, boolean concrete, String what) {
    if (path.isEmpty()) {
      return path;
    }
    for (String segment : path.split("/", -1)) {
      boolean template = segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2;
      if (segment.isEmpty()
          || segment.contains(":")
          || segment.equals("*")
          || segment.equals(">")
          || (concrete && template)
          || (!template && (segment.contains("{") || segment.contains("}")))) {
        throw new IllegalArgumentException(
            what + " '" + path + "' is not a valid " + (concrete ? "concrete " : "") + "path");
      }
    }
    return path;
  }

  private static String read(UnknownFieldSet options, FieldDescriptor extension, String field) {
    if (extension == null || !options.hasField(extension.getNumber())) {
      return "";
    }
    List<ByteString> occurrences = options.getField(extension.getNumber()).getLengthDelimitedList();
    DynamicMessage.Builder value = DynamicMessage.newBuilder(extension.getMessageType());
    try {
      for (ByteString bytes : occurrences) {
        value.mergeFrom(bytes); // repeated occurrences of a message option merge, as in protoc
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed option " + extension.getFullName(), e);
    }
    return (String) value.getField(extension.getMessageType().findFieldByName(field));
  }
}
