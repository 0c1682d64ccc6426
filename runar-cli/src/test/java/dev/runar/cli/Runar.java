package dev.runar.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code runar} launcher (target/runar) as users do, in a process of its own. */
final class Runar {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What a run printed and how it ended. */
  record Result(int exitCode, String out, String err) {
    List<String> lines() {
      return out.isBlank() ? List.of() : Arrays.asList(out.strip().split("\n"));
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  private Runar() {}

  /** Runs {@code runar args...} with {@code stdin} as its standard input. */
  static Result run(List<String> args, String stdin) throws IOException, InterruptedException {
    Path launcher = Path.of(System.getProperty("runar.launcher", "target/runar"));
    List<String> command = new ArrayList<>();
    command.add(launcher.toAbsolutePath().toString());
    command.addAll(args);
    Path out = Files.createTempFile("runar-out", ".txt");
    Path err = Files.createTempFile("runar-err", ".txt");
    Path in = Files.createTempFile("runar-in", ".txt");
    Files.writeString(in, stdin, StandardCharsets.UTF_8);
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectInput(in.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            "runar " + args + " did not end within " + TIMEOUT + "\n" + Files.readString(err));
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      Files.deleteIfExists(in);
    }
  }

  static Result run(List<String> args) throws IOException, InterruptedException {
    return run(args, "");
  }
}
