package dev.runar.codegen;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a protoc executable to compile .proto files into Java messages and a descriptor set, and
 * turns that descriptor set into the {@link CodeGeneratorRequest} the Runar generator reads. This
 * is how runar-maven-plugin runs the generator in-process: one protoc run, no plugin process.
 */
public final class Protoc {
  private static final long TIMEOUT_MINUTES = 5;

  private final Path executable;

  public Protoc(Path executable) {
    this.executable = Objects.requireNonNull(executable, "executable");
  }

  /**
   * Compiles {@code files} (paths relative to an import path), writing Java messages to {@code
   * javaOut} (when non-null) and the descriptor set, with imports and comments, to {@code
   * descriptorSet}.
   *
   * @throws ProtocException with protoc's own {@code file:line:col: message} output when it fails
   */
  public void compile(
      Collection<Path> importPaths, Collection<String> files, Path javaOut, Path descriptorSet)
      throws IOException, ProtocException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    for (Path include : importPaths) {
      command.add("--proto_path=" + include);
    }
    if (javaOut != null) {
      command.add("--java_out=" + javaOut);
    }
    command.add("--descriptor_set_out=" + descriptorSet);
    command.add("--include_imports");
    command.add("--include_source_info");
    command.addAll(files);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new ProtocException("protoc did not finish within " + TIMEOUT_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ProtocException("interrupted while protoc ran");
    }
    if (process.exitValue() != 0) {
      throw new ProtocException(output.strip());
    }
  }

  /**
   * The request protoc would send a plugin for {@code filesToGenerate}, built from a descriptor set
   * written by {@link #compile} (which lists dependencies before their dependents).
   */
  public static CodeGeneratorRequest request(Path descriptorSet, Collection<String> filesToGenerate)
      throws IOException {
    FileDescriptorSet set =
        FileDescriptorSet.parseFrom(
            Files.readAllBytes(descriptorSet), ExtensionRegistry.getEmptyRegistry());
    return CodeGeneratorRequest.newBuilder()
        .addAllProtoFile(set.getFileList())
        .addAllFileToGenerate(filesToGenerate)
        .build();
  }

  /** protoc failed; the message is its output, naming {@code file:line:col} of each error. */
  public static final class ProtocException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocException(String message) {
      super(message);
    }
  }
}
