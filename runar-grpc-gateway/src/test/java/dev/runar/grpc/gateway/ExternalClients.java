package dev.runar.grpc.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs gRPC clients that nobody on this project wrote (grpc-js, buf, grpcio) as processes. A
 * missing tool fails the test with what to install: these tests must run wherever {@code mvn
 * verify} runs ({@code .ci/run} installs them).
 */
final class ExternalClients {
  /** The test resources holding the clients, package.json and its lockfile. */
  static final Path CLIENT_SOURCES = Paths.get("src/test/resources/grpc-clients").toAbsolutePath();

  /** Where {@code npm ci} installs them (also what .ci/run prepares). */
  static final Path NPM_DIR = Paths.get("target/grpc-clients").toAbsolutePath();

  private ExternalClients() {}

  /** What a process did. */
  record Result(int exitCode, String stdout, String stderr) {
    String both() {
      return stdout + "\n" + stderr;
    }
  }

  /**
   * The npm clients installed with {@code npm ci} from the lockfile (once per build; offline when
   * npm's cache has them).
   */
  static synchronized Path npmClients() throws Exception {
    Files.createDirectories(NPM_DIR);
    for (String file : List.of("package.json", "package-lock.json", "client.js")) {
      Files.copy(
          CLIENT_SOURCES.resolve(file), NPM_DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Path installedLock = NPM_DIR.resolve("node_modules/.installed-lock.json");
    byte[] lock = Files.readAllBytes(NPM_DIR.resolve("package-lock.json"));
    if (!Files.exists(installedLock) || !Arrays.equals(lock, Files.readAllBytes(installedLock))) {
      Result ci =
          run(
              Duration.ofMinutes(5),
              NPM_DIR,
              tool("npm", "install nodejs and npm"),
              "ci",
              "--prefer-offline",
              "--no-audit",
              "--no-fund");
      if (ci.exitCode() != 0) {
        throw new AssertionError("npm ci failed:\n" + ci.both());
      }
      Files.write(installedLock, lock);
    }
    return NPM_DIR;
  }

  /**
   * An include directory with the test's echo.proto and what it imports (runar/options.proto from
   * the runtime's jar, google/protobuf/descriptor.proto from protobuf-java's), for clients that
   * read .proto files.
   */
  static Path protoIncludes() throws IOException {
    Path dir = Paths.get("target/proto-include").toAbsolutePath();
    Files.createDirectories(dir.resolve("gatewaytest"));
    Files.copy(
        Paths.get("src/test/proto/gatewaytest/echo.proto"),
        dir.resolve("gatewaytest/echo.proto"),
        StandardCopyOption.REPLACE_EXISTING);
    for (String resource : List.of("runar/options.proto", "google/protobuf/descriptor.proto")) {
      Path out = dir.resolve(resource);
      Files.createDirectories(out.getParent());
      try (InputStream in = ExternalClients.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is not on the test classpath");
        }
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  /** The first python3 that has grpcio (Debian's python3-grpcio lives in /usr/bin's). */
  static String pythonWithGrpc() throws Exception {
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      try {
        if (run(Duration.ofSeconds(30), Paths.get("."), candidate, "-c", "import grpc").exitCode()
            == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // not there: try the next
      }
    }
    throw new AssertionError("no python3 with grpcio: install python3-grpcio (.ci/run does)");
  }

  private static String tool(String name, String install) throws Exception {
    try {
      run(Duration.ofSeconds(30), Paths.get("."), name, "--version");
      return name;
    } catch (IOException e) {
      throw new AssertionError(name + " not found: " + install + " (.ci/run does)", e);
    }
  }

  /** Runs {@code command} in {@code dir}, killing it after {@code timeout}. */
  static Result run(Duration timeout, Path dir, String... command) throws Exception {
    return runWithInput(timeout, dir, "", command);
  }

  /** Runs {@code command} with {@code stdin} as its input. */
  static Result runWithInput(Duration timeout, Path dir, String stdin, String... command)
      throws Exception {
    Process process =
        new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile()).start();
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    try (var in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
    }
    return new Result(
        process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static CompletableFuture<String> read(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "(unreadable: " + e + ")";
          }
        });
  }
}
