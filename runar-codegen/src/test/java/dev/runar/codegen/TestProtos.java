package dev.runar.codegen;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the real protoc on this module's test protos and builds generator requests from them. */
final class TestProtos {
  static final Path SOURCES = Path.of("src/test/proto");

  private TestProtos() {}

  static Path protoc() {
    Path protoc = Path.of(System.getProperty("runar.protoc", "target/protoc/protoc.exe"));
    if (!Files.exists(protoc)) {
      throw new IllegalStateException("no protoc at " + protoc + " (run the tests through Maven)");
    }
    protoc.toFile().setExecutable(true);
    return protoc;
  }

  /**
   * Import paths for the test protos: the sources plus the bundled protos, extracted to {@code
   * dir}.
   */
  static List<Path> importPaths(Path dir) throws IOException {
    Path bundled = dir.resolve("bundled");
    ProtoIncludes.extractBundled(bundled);
    return List.of(SOURCES, bundled);
  }

  /** The request protoc would send a plugin asked to generate {@code files}. */
  static CodeGeneratorRequest request(Path workDir, String... files) throws Exception {
    Path descriptors = workDir.resolve("descriptors.pb");
    new Protoc(protoc()).compile(importPaths(workDir), List.of(files), null, descriptors);
    return Protoc.request(descriptors, List.of(files));
  }
}
