package dev.runar.codegen;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * Generates {@code <File>Topics}: one typed {@code Topic<T>} constant per message of a file marked
 * with {@code option (runar.event) = {topic: "..."}}.
 */
final class TopicsGenerator {
  private TopicsGenerator() {}

  /** The topics class for {@code file}, or empty when it declares no event. */
  static Optional<JavaFile> generate(FileDescriptor file, RunarOptions options) {
    List<FieldSpec> topics = new ArrayList<>();
    collect(file.getMessageTypes(), options, topics);
    if (topics.isEmpty()) {
      return Optional.empty();
    }
    ClassName name =
        ClassName.get(JavaNames.javaPackage(file), JavaNames.fileBaseClassName(file) + "Topics");
    TypeSpec type =
        TypeSpec.classBuilder(name)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addAnnotation(Generated.annotation(file))
            .addJavadoc(
                "Typed event topics declared in {@code $L}: publish with {@code node.publish(TOPIC,"
                    + " event)}, receive the message type with {@code node.subscribe(TOPIC,"
                    + " handler)}.\n",
                file.getName())
            .addFields(topics)
            .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
            .build();
    return Optional.of(
        JavaFile.builder(name.packageName(), type).skipJavaLangImports(true).build());
  }

  private static void collect(
      List<Descriptor> messages, RunarOptions options, List<FieldSpec> out) {
    for (Descriptor message : messages) {
      options.eventTopic(message).ifPresent(topic -> out.add(topic(message, topic)));
      collect(message.getNestedTypes(), options, out);
    }
  }

  private static FieldSpec topic(Descriptor message, String topic) {
    ClassName type = JavaNames.messageClass(message);
    String comment = Javadocs.of(message);
    FieldSpec.Builder field =
        FieldSpec.builder(
                ParameterizedTypeName.get(RuntimeNames.TOPIC, type),
                constantName(message),
                Modifier.PUBLIC,
                Modifier.STATIC,
                Modifier.FINAL)
            .initializer("$T.of($S, $T.getDefaultInstance())", RuntimeNames.TOPIC, topic, type)
            .addJavadoc("{@code $L}: $L\n", topic, comment.isEmpty() ? message.getName() : comment);
    if (message.getOptions().getDeprecated()) {
      field.addAnnotation(Deprecated.class);
    }
    return field.build();
  }

  private static String constantName(Descriptor message) {
    StringBuilder name = new StringBuilder(JavaNames.upperSnake(message.getName()));
    for (Descriptor d = message.getContainingType(); d != null; d = d.getContainingType()) {
      name.insert(0, JavaNames.upperSnake(d.getName()) + "_");
    }
    return name.toString();
  }
}
