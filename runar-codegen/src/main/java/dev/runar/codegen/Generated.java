package dev.runar.codegen;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;

/** The {@code @Generated} marker on every generated class; no timestamp, so output is stable. */
final class Generated {
  private static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");

  private Generated() {}

  static AnnotationSpec annotation(FileDescriptor source) {
    return AnnotationSpec.builder(GENERATED)
        .addMember("value", "$S", "protoc-gen-runar")
        .addMember("comments", "$S", "Source: " + source.getName())
        .build();
  }
}
