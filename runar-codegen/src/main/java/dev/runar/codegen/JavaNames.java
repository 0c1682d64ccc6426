package dev.runar.codegen;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.palantir.javapoet.ClassName;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * The Java names protoc's Java generator gives to a file's types, and the names Runar's generator
 * derives from proto names. Follows protoc's rules for {@code java_package}, {@code
 * java_multiple_files} and {@code java_outer_classname} (including the {@code OuterClass} suffix on
 * a clash), for proto2, proto3 and editions up to 2023.
 */
final class JavaNames {
  private static final Set<String> KEYWORDS =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "final",
          "finally",
          "float",
          "for",
          "goto",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "package",
          "private",
          "protected",
          "public",
          "return",
          "short",
          "static",
          "strictfp",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "transient",
          "try",
          "void",
          "volatile",
          "while",
          "true",
          "false",
          "null",
          "var",
          "yield",
          "record",
          "sealed",
          "permits",
          "non-sealed",
          "_");

  /**
   * Every member name a generated rpc method could collide with, in any generated class: what the
   * server base declares or inherits ({@code bindService}, the {@code ServiceLifecycle} hooks),
   * what the stubs inherit from {@code AbstractStub}, the outer class's static methods (visible,
   * and shadowed, inside the nested classes) and {@link Object}'s methods. One set for all classes,
   * so that an rpc has the same Java name on the server base and on every stub.
   */
  static final Set<String> RESERVED_MEMBERS =
      Set.of(
          // Object
          "equals",
          "hashCode",
          "toString",
          "getClass",
          "notify",
          "notifyAll",
          "wait",
          "clone",
          "finalize",
          // server base: BindableService, ServiceLifecycle
          "bindService",
          "init",
          "start",
          "stop",
          // stubs: AbstractStub
          "getNode",
          "getCallOptions",
          "build",
          "withDeadline",
          "withDeadlineAfter",
          "withTimeout",
          "withMetadata",
          "withBinaryMetadata",
          "withInterceptors",
          "withCallOptions",
          // the outer class's static methods
          "getServiceDescriptor",
          "newBlockingStub",
          "newFutureStub");

  private JavaNames() {}

  /**
   * The Java method name of rpc {@code protoName}, the same in the server base and every stub: the
   * name camel-cased as protoc does ({@code GetNode} → {@code getNode}), then {@linkplain #escape
   * escaped}.
   */
  static String rpcMethodName(String protoName) {
    return escape(camel(protoName, false), Set.of());
  }

  /** The Java package of the classes generated for {@code file}. */
  static String javaPackage(FileDescriptor file) {
    return file.getOptions().hasJavaPackage()
        ? file.getOptions().getJavaPackage()
        : file.getPackage();
  }

  /** The class protoc generates for message {@code type}. */
  static ClassName messageClass(Descriptor type) {
    Deque<String> names = new ArrayDeque<>();
    for (Descriptor d = type; d != null; d = d.getContainingType()) {
      names.addFirst(d.getName());
    }
    FileDescriptor file = type.getFile();
    if (!file.getOptions().getJavaMultipleFiles()) {
      names.addFirst(outerClassName(file));
    }
    String first = names.removeFirst();
    return ClassName.get(javaPackage(file), first, names.toArray(String[]::new));
  }

  /** The outer class protoc generates for {@code file}. */
  static String outerClassName(FileDescriptor file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String name = fileBaseClassName(file);
    return clashesWithType(file, name) ? name + "OuterClass" : name;
  }

  /** {@code foo_bar.proto} → {@code FooBar}: protoc's camel-casing of a file's base name. */
  static String fileBaseClassName(FileDescriptor file) {
    String base = file.getName();
    base = base.substring(base.lastIndexOf('/') + 1);
    if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    }
    return camel(base, true);
  }

  /** protoc's {@code UnderscoresToCamelCase}: {@code say_hello} → {@code sayHello}. */
  static String camel(String input, boolean capitalizeFirst) {
    StringBuilder out = new StringBuilder(input.length());
    boolean capNext = capitalizeFirst;
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c >= 'a' && c <= 'z') {
        out.append(capNext ? Character.toUpperCase(c) : c);
        capNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        out.append(i == 0 && !capitalizeFirst ? Character.toLowerCase(c) : c);
        capNext = false;
      } else if (c >= '0' && c <= '9') {
        out.append(c);
        capNext = true;
      } else {
        capNext = true;
      }
    }
    return out.toString();
  }

  /** {@code sayHello} → {@code SAY_HELLO}. */
  static String upperSnake(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(camel.charAt(i - 1))) {
        out.append('_');
      }
      out.append(Character.toUpperCase(c));
    }
    return out.toString();
  }

  /**
   * The one escaping rule for generated member names: {@code name} with {@code _} appended while it
   * is a Java keyword, a {@linkplain #RESERVED_MEMBERS reserved member} or in {@code taken} (names
   * already given to other members of the same class).
   */
  static String escape(String name, Set<String> taken) {
    String result = name;
    while (KEYWORDS.contains(result)
        || RESERVED_MEMBERS.contains(result)
        || taken.contains(result)) {
      result = result + '_';
    }
    return result;
  }

  private static boolean clashesWithType(FileDescriptor file, String name) {
    for (Descriptor m : file.getMessageTypes()) {
      if (clashes(m, name)) {
        return true;
      }
    }
    for (EnumDescriptor e : file.getEnumTypes()) {
      if (e.getName().equals(name)) {
        return true;
      }
    }
    for (ServiceDescriptor s : file.getServices()) {
      if (s.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean clashes(Descriptor message, String name) {
    if (message.getName().equals(name)) {
      return true;
    }
    for (Descriptor nested : message.getNestedTypes()) {
      if (clashes(nested, name)) {
        return true;
      }
    }
    for (EnumDescriptor e : message.getEnumTypes()) {
      if (e.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
