package dev.runar.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares generated sources with the reviewed copies under {@code src/test/resources/golden}.
 * After an intended change, regenerate them with {@code mvn test -Drunar.golden.update=true} and
 * review the diff.
 */
class GoldenFilesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final List<String> ALL =
      List.of(
          "helloworld/greeter.proto",
          "edge/keywords.proto",
          "chat/chat.proto",
          "optional3.proto",
          "streaming/numbers.proto",
          "edge/clashes.proto");

  @TempDir Path work;

  @Test
  void generatedSourcesMatchGoldenFiles() throws Exception {
    CodeGeneratorResponse response =
        RunarGenerator.generate(TestProtos.request(work, ALL.toArray(String[]::new)));
    assertFalse(response.hasError(), response.getError());

    if (Boolean.getBoolean("runar.golden.update")) {
      for (CodeGeneratorResponse.File file : response.getFileList()) {
        Path out = GOLDEN.resolve(file.getName());
        Files.createDirectories(out.getParent());
        Files.writeString(out, file.getContent(), StandardCharsets.UTF_8);
      }
    }

    Set<String> expected;
    try (Stream<Path> files = Files.walk(GOLDEN)) {
      expected =
          files
              .filter(Files::isRegularFile)
              .map(p -> GOLDEN.relativize(p).toString().replace('\\', '/'))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> generated =
        response.getFileList().stream()
            .map(CodeGeneratorResponse.File::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, generated, "set of generated files");
    for (CodeGeneratorResponse.File file : response.getFileList()) {
      assertEquals(
          Files.readString(GOLDEN.resolve(file.getName())), file.getContent(), file.getName());
    }
    assertTrue(generated.contains("dev/runar/examples/helloworld/GreeterRunar.java"));
  }
}
