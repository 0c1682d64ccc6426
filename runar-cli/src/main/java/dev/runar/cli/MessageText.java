package dev.runar.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Message and enum types written back as {@code .proto} text, for {@code runar describe}. */
final class MessageText {
  private MessageText() {}

  /** {@code type} and every message and enum type its fields use, each once, as proto text. */
  static String withReferences(Descriptor type, String indent) {
    Set<Object> seen = new LinkedHashSet<>();
    collect(type, seen);
    StringBuilder out = new StringBuilder();
    for (Object t : seen) {
      if (t instanceof Descriptor d) {
        message(d, indent, out);
      } else {
        enumeration((EnumDescriptor) t, indent, out);
      }
    }
    return out.toString();
  }

  private static void collect(Descriptor type, Set<Object> seen) {
    if (!seen.add(type) || type.getFullName().startsWith("google.protobuf.")) {
      return;
    }
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (f.isMapField()) {
          FieldDescriptor value = f.getMessageType().findFieldByName("value");
          if (value.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            collect(value.getMessageType(), seen);
          } else if (value.getJavaType() == FieldDescriptor.JavaType.ENUM) {
            seen.add(value.getEnumType());
          }
        } else {
          collect(f.getMessageType(), seen);
        }
      } else if (f.getJavaType() == FieldDescriptor.JavaType.ENUM) {
        seen.add(f.getEnumType());
      }
    }
  }

  private static void message(Descriptor type, String indent, StringBuilder out) {
    if (type.getFullName().startsWith("google.protobuf.")) {
      return; // well known: JSON has its own forms for them
    }
    out.append(indent).append("message ").append(type.getFullName()).append(" {\n");
    for (FieldDescriptor f : type.getFields()) {
      out.append(indent).append("  ");
      if (f.isMapField()) {
        out.append(typeName(f));
      } else {
        if (f.isRepeated()) {
          out.append("repeated ");
        } else if (f.toProto().getProto3Optional()) {
          out.append("optional ");
        }
        out.append(typeName(f));
      }
      out.append(' ').append(f.getName()).append(" = ").append(f.getNumber()).append(";");
      if (!f.getJsonName().equals(f.getName())) {
        out.append("  // JSON: ").append(f.getJsonName());
      }
      out.append('\n');
    }
    out.append(indent).append("}\n");
  }

  private static void enumeration(EnumDescriptor type, String indent, StringBuilder out) {
    out.append(indent).append("enum ").append(type.getFullName()).append(" {\n");
    for (EnumValueDescriptor v : type.getValues()) {
      out.append(indent)
          .append("  ")
          .append(v.getName())
          .append(" = ")
          .append(v.getNumber())
          .append(";\n");
    }
    out.append(indent).append("}\n");
  }

  /** A field's type as written in a .proto: {@code string}, {@code map<string, int32>}, ... */
  static String typeName(FieldDescriptor f) {
    if (f.isMapField()) {
      Descriptor entry = f.getMessageType();
      return "map<"
          + typeName(entry.findFieldByName("key"))
          + ", "
          + typeName(entry.findFieldByName("value"))
          + ">";
    }
    switch (f.getType()) {
      case MESSAGE:
      case GROUP:
        return f.getMessageType().getFullName();
      case ENUM:
        return f.getEnumType().getFullName();
      default:
        return f.getType().name().toLowerCase(Locale.ROOT);
    }
  }
}
