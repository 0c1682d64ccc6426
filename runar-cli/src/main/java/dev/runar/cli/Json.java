package dev.runar.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.runar.Status;
import java.util.stream.Collectors;

/**
 * JSON to and from the network's messages, through the descriptors the nodes described (protobuf's
 * JSON mapping, as grpcurl and buf curl use). Immutable.
 */
final class Json {
  private final JsonFormat.Parser parser;
  private final JsonFormat.Printer printer;

  Json(Catalog catalog, boolean emitDefaults) {
    this.parser = JsonFormat.parser().usingTypeRegistry(catalog.types());
    JsonFormat.Printer p = JsonFormat.printer().usingTypeRegistry(catalog.types());
    this.printer = emitDefaults ? p.alwaysPrintFieldsWithNoPresence() : p;
  }

  /**
   * {@code json} as a {@code type}.
   *
   * @param what what the JSON is, for the error message ("the request", "line 3 of the input")
   * @throws CliException INVALID_ARGUMENT, naming the type's fields, when it is not one
   */
  DynamicMessage parse(String json, Descriptor type, String what) {
    DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
    try {
      parser.merge(json, message);
      return message.build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw CliException.status(
          Status.Code.INVALID_ARGUMENT,
          what
              + " is not a JSON "
              + type.getFullName()
              + ": "
              + e.getMessage()
              + ". Its fields: "
              + fields(type)
              + " (`runar describe "
              + type.getFullName()
              + "` shows them all)");
    }
  }

  /** Multi-line JSON, for one reply. */
  String pretty(MessageOrBuilder message) {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      return compactFallback(e);
    }
  }

  /** One line of JSON, for a stream of replies or events. */
  String line(MessageOrBuilder message) {
    try {
      return printer.omittingInsignificantWhitespace().print(message);
    } catch (InvalidProtocolBufferException e) {
      return compactFallback(e);
    }
  }

  /** A type's default instance with every field, on one line: a request to start from. */
  static String template(Descriptor type) {
    try {
      return JsonFormat.printer()
          .alwaysPrintFieldsWithNoPresence()
          .omittingInsignificantWhitespace()
          .print(DynamicMessage.getDefaultInstance(type));
    } catch (InvalidProtocolBufferException e) {
      return "{}";
    }
  }

  private static String compactFallback(InvalidProtocolBufferException e) {
    // Only an Any holding a type no node described gets here.
    throw CliException.cannotRun("cannot print a reply as JSON: " + e.getMessage());
  }

  private static String fields(Descriptor type) {
    if (type.getFields().isEmpty()) {
      return "none";
    }
    return type.getFields().stream().map(Json::field).collect(Collectors.joining(", "));
  }

  private static String field(FieldDescriptor f) {
    return f.getJsonName() + " (" + MessageText.typeName(f) + ")";
  }
}
