package dev.runar.codegen;

import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Turns the comments written in a .proto file into Javadoc text. */
final class Javadocs {
  // Field numbers in descriptor.proto that make up SourceCodeInfo location paths.
  private static final int FILE_MESSAGE_TYPE = 4;
  private static final int FILE_SERVICE = 6;
  private static final int MESSAGE_NESTED_TYPE = 3;
  private static final int SERVICE_METHOD = 2;

  private Javadocs() {}

  static String of(ServiceDescriptor service) {
    return escape(plain(service));
  }

  /** The service's comment as written, not escaped: for strings, not for Javadoc. */
  static String plain(ServiceDescriptor service) {
    return comment(service.getFile(), List.of(FILE_SERVICE, service.getIndex()));
  }

  static String of(MethodDescriptor method) {
    return escape(
        comment(
            method.getFile(),
            List.of(
                FILE_SERVICE, method.getService().getIndex(), SERVICE_METHOD, method.getIndex())));
  }

  static String of(Descriptor message) {
    List<Integer> path = new ArrayList<>();
    for (Descriptor d = message; d != null; d = d.getContainingType()) {
      path.add(0, d.getIndex());
      path.add(0, d.getContainingType() == null ? FILE_MESSAGE_TYPE : MESSAGE_NESTED_TYPE);
    }
    return escape(comment(message.getFile(), path));
  }

  /** The leading (else trailing) comment at {@code path}, one space of indent dropped; "" if none. */
  private static String comment(FileDescriptor file, List<Integer> path) {
    for (SourceCodeInfo.Location location : file.toProto().getSourceCodeInfo().getLocationList()) {
      if (location.getPathList().equals(path)) {
        String text =
            location.hasLeadingComments()
                ? location.getLeadingComments()
                : location.getTrailingComments();
        return text.strip().lines().map(l -> l.startsWith(" ") ? l.substring(1) : l)
            .collect(Collectors.joining("\n"));
      }
    }
    return "";
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
