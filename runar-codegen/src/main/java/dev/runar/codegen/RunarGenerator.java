package dev.runar.codegen;

import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import com.palantir.javapoet.JavaFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Runar code generator: turns the services and event messages of .proto files into Java
 * sources. It speaks protoc's plugin protocol ({@link CodeGeneratorRequest} in, {@link
 * CodeGeneratorResponse} out), so the same code runs as {@code protoc-gen-runar} ({@link
 * ProtocPlugin}) and in-process inside runar-maven-plugin.
 *
 * <p>Per service it writes {@code <Service>Runar} (constants, method descriptors, server base,
 * blocking and future stubs); per file with events, {@code <File>Topics}. Output depends only on
 * the request, so it is deterministic.
 */
public final class RunarGenerator {
  private RunarGenerator() {}

  /** Generates sources for the request's {@code file_to_generate}; errors go in the response. */
  public static CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse.Builder response =
        CodeGeneratorResponse.newBuilder()
            .setSupportedFeatures(
                CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE
                    | CodeGeneratorResponse.Feature.FEATURE_SUPPORTS_EDITIONS_VALUE)
            .setMinimumEdition(Edition.EDITION_PROTO2_VALUE)
            .setMaximumEdition(Edition.EDITION_2023_VALUE);
    List<String> errors = new ArrayList<>();
    try {
      Map<String, FileDescriptor> files = link(request.getProtoFileList());
      RunarOptions options = RunarOptions.from(files);
      for (String name : request.getFileToGenerateList()) {
        FileDescriptor file = files.get(name);
        if (file == null) {
          return response.setError(name + ": not among the request's proto files").build();
        }
        for (ServiceDescriptor service : file.getServices()) {
          collect(errors, () -> add(response, ServiceGenerator.generate(service, options)));
        }
        collect(
            errors, () -> TopicsGenerator.generate(file, options).ifPresent(t -> add(response, t)));
      }
    } catch (DescriptorValidationException | IllegalArgumentException e) {
      return response.clearFile().setError(e.getMessage()).build();
    }
    if (!errors.isEmpty()) {
      // Like protoc: every error, one per line, each starting with its file:line:col.
      return response.clearFile().setError(String.join("\n", errors)).build();
    }
    return response.build();
  }

  /** Runs one generation step, recording its error so that the others still report theirs. */
  private static void collect(List<String> errors, Runnable step) {
    try {
      step.run();
    } catch (GeneratorException e) {
      errors.add(e.getMessage());
    }
  }

  /** Builds descriptors in request order, which protoc guarantees lists dependencies first. */
  private static Map<String, FileDescriptor> link(List<FileDescriptorProto> protos)
      throws DescriptorValidationException {
    Map<String, FileDescriptor> files = new LinkedHashMap<>();
    for (FileDescriptorProto proto : protos) {
      FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
      for (int i = 0; i < dependencies.length; i++) {
        dependencies[i] = files.get(proto.getDependency(i));
        if (dependencies[i] == null) {
          throw new IllegalArgumentException(
              proto.getName() + ": dependency " + proto.getDependency(i) + " comes after it");
        }
      }
      files.put(proto.getName(), FileDescriptor.buildFrom(proto, dependencies));
    }
    return files;
  }

  private static void add(CodeGeneratorResponse.Builder response, JavaFile file) {
    String path =
        file.packageName().isEmpty()
            ? file.typeSpec().name() + ".java"
            : file.packageName().replace('.', '/') + '/' + file.typeSpec().name() + ".java";
    response.addFileBuilder().setName(path).setContent(file.toString());
  }
}
