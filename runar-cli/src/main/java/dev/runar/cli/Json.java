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
      return readable(printer.print(message));
    } catch (InvalidProtocolBufferException e) {
      return compactFallback(e);
    }
  }

  /** One line of JSON, for a stream of replies or events. */
  String line(MessageOrBuilder message) {
    try {
      return readable(printer.omittingInsignificantWhitespace().print(message));
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

  /**
   * {@code json} with the characters protobuf's printer escapes for HTML ({@code = < > & '}, as
   * {@code \u003d} and so on) written as themselves: the same JSON, readable in a terminal. Every
   * backslash in JSON starts an escape, so walking escape by escape never misreads one.
   */
  static String readable(String json) {
    StringBuilder out = new StringBuilder(json.length());
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c != '\\' || i + 1 >= json.length()) {
        out.append(c);
        continue;
      }
      if (json.charAt(i + 1) == 'u' && i + 5 < json.length()) {
        String hex = json.substring(i + 2, i + 6);
        int at = HTML_ESCAPED.indexOf(hex);
        if (at >= 0 && at % 4 == 0) {
          out.append((char) Integer.parseInt(hex, 16));
          i += 5;
          continue;
        }
      }
      out.append(c).append(json.charAt(i + 1));
      i++;
    }
    return out.toString();
  }

  /** {@code = < > & '}: what the printer escapes though JSON does not need it. */
  private static final String HTML_ESCAPED = "003d003c003e00260027";

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
