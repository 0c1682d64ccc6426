package dev.runar.codegen;

import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.Descriptors.GenericDescriptor;
import java.util.stream.Collectors;

/** Turns the comments written in a .proto file into Javadoc text. */
final class Javadocs {
  private Javadocs() {}

  /** The comment of a service, an rpc or a message, escaped for Javadoc; "" if none. */
  static String of(GenericDescriptor element) {
    return escape(plain(element));
  }

  /** The comment as written, not escaped: for strings, not for Javadoc. */
  static String plain(GenericDescriptor element) {
    return ProtoLocations.at(element.getFile(), ProtoLocations.path(element))
        .map(Javadocs::comment)
        .orElse("");
  }

  /** The leading (else trailing) comment, one space of indent dropped. */
  private static String comment(SourceCodeInfo.Location location) {
    String text =
        location.hasLeadingComments()
            ? location.getLeadingComments()
            : location.getTrailingComments();
    return text.strip()
        .lines()
        .map(l -> l.startsWith(" ") ? l.substring(1) : l)
        .collect(Collectors.joining("\n"));
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (String line : text.lines().toList()) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(
          line.replace("&", "&amp;")
              .replace("<", "&lt;")
              .replace(">", "&gt;")
              .replace("*/", "*&#47;")
              .replace("@", "&#64;")
              .replace("\\u", "\\\\u"));
    }
    return out.toString();
  }
}
