package dev.runar.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files one execution of the plugin wrote into its output directory, kept in that execution's
 * state directory: the plugin deletes only these, and treats any other file it finds there as
 * someone else's. Paths are relative to the output directory, with {@code /} separators.
 */
final class OutputManifest {
  private final Path file;
  private final Set<String> outputs;

  private OutputManifest(Path file, Set<String> outputs) {
    this.file = file;
    this.outputs = outputs;
  }

  /** The manifest stored at {@code file}; empty when there is none yet. */
  static OutputManifest read(Path file) throws IOException {
    Set<String> outputs = new TreeSet<>();
    if (Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          outputs.add(line.strip());
        }
      }
    }
    return new OutputManifest(file, outputs);
  }

  /** The recorded outputs, sorted. */
  Set<String> outputs() {
    return Collections.unmodifiableSet(outputs);
  }

  /** Replaces the recorded outputs with {@code paths} and stores them. */
  void write(Collection<String> paths) throws IOException {
    outputs.clear();
    outputs.addAll(paths);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, outputs, StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Files under {@code dir} that this manifest does not list: not ours. */
  List<String> foreignFiles(Path dir) throws IOException {
    List<String> foreign = new ArrayList<>();
    for (String path : relativeFiles(dir)) {
      if (!outputs.contains(path)) {
        foreign.add(path);
      }
    }
    return foreign;
  }

  /** True when every recorded output is still in {@code dir}. */
  boolean allPresent(Path dir) {
    return outputs.stream().allMatch(p -> Files.isRegularFile(dir.resolve(p)));
  }

  /**
   * Deletes the recorded outputs from {@code dir} that are not in {@code keep}, then the
   * directories that deleting them left empty (never {@code dir} itself).
   */
  void deleteExcept(Path dir, Set<String> keep) throws IOException {
    for (String path : outputs) {
      if (keep.contains(path)) {
        continue;
      }
      Path out = dir.resolve(path);
      Files.deleteIfExists(out);
      for (Path parent = out.getParent();
          parent != null
              && !parent.equals(dir)
              && parent.startsWith(dir)
              && isEmptyDirectory(parent);
          parent = parent.getParent()) {
        Files.delete(parent);
      }
    }
  }

  /** The regular files under {@code dir}, relative, with {@code /} separators, sorted. */
  static List<String> relativeFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace(File.separatorChar, '/'))
          .sorted()
          .toList();
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
