package dev.runar.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A digest of everything a generation run depends on: when it is unchanged, the previous output is
 * still right and protoc need not run. Inputs are fed in a fixed order so the digest is stable.
 */
final class Fingerprint {
  private final MessageDigest digest;

  Fingerprint() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  /** Adds a setting (plugin version, protoc version, a parameter). */
  Fingerprint add(String label, Object value) {
    update(label + '=' + value + '\n');
    return this;
  }

  /** Adds a file's path and contents. */
  Fingerprint addFileContent(Path file) throws IOException {
    update("file:" + file + '\n');
    digest.update(Files.readAllBytes(file));
    return this;
  }

  /**
   * Adds a classpath entry cheaply: a jar by its path, size and modification time; a directory by
   * the .proto files under it.
   */
  Fingerprint addClasspathEntry(Path entry) throws IOException {
    if (Files.isDirectory(entry)) {
      for (Path proto : protoFiles(entry)) {
        addFileContent(proto);
      }
    } else if (Files.isRegularFile(entry)) {
      update(
          "jar:" + entry + ':' + Files.size(entry) + ':' + Files.getLastModifiedTime(entry) + '\n');
    }
    return this;
  }

  String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The .proto files under {@code dir}, sorted. */
  static List<Path> protoFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".proto"))
          .sorted()
          .toList();
    }
  }

  private void update(String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
  }
}
