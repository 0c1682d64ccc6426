package dev.runar.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * protoc running the packaged {@code protoc-gen-runar} launcher, as a user on the command line
 * would.
 */
class ProtocPluginIT {
  @TempDir Path work;

  @Test
  void protocRunsTheLauncherAndGetsTheGoldenOutput() throws Exception {
    Path launcher = Path.of(System.getProperty("runar.launcher", "target/protoc-gen-runar"));
    assertTrue(Files.isExecutable(launcher), launcher + " is not an executable launcher");
    Path out = Files.createDirectories(work.resolve("out"));
    List<String> command =
        new ArrayList<>(
            List.of(
                TestProtos.protoc().toString(),
                "--plugin=protoc-gen-runar=" + launcher.toAbsolutePath(),
                "--runar_out=" + out));
    for (Path include : TestProtos.importPaths(work)) {
      command.add("--proto_path=" + include);
    }
    command.addAll(GoldenFilesTest.ALL);
    Process protoc = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(protoc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(protoc.waitFor(2, TimeUnit.MINUTES), "protoc hung");
    assertEquals(0, protoc.exitValue(), output);

    List<Path> generated = files(out);
    assertEquals(files(GoldenFilesTest.GOLDEN).size(), generated.size());
    for (Path file : generated) {
      assertEquals(
          Files.readString(GoldenFilesTest.GOLDEN.resolve(out.relativize(file).toString())),
          Files.readString(file),
          file.toString());
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
