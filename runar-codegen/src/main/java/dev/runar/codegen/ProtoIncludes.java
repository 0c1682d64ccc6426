package dev.runar.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Makes .proto files that live inside jars importable: protoc reads only directories, so the {@code
 * .proto} entries of a jar are copied out into one. This is how imports from dependencies, the
 * well-known types (shipped inside protobuf-java) and {@code runar/options.proto} (shipped inside
 * this jar and runar-runtime) reach protoc without anyone copying them by hand.
 */
public final class ProtoIncludes {
  private ProtoIncludes() {}

  /**
   * Copies every {@code .proto} entry of {@code jar} into {@code target}, keeping its path.
   *
   * @return how many files were copied
   */
  public static int extractJar(Path jar, Path target) throws IOException {
    int count = 0;
    try (JarFile file = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        if (entry.isDirectory() || !entry.getName().endsWith(".proto")) {
          continue;
        }
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
          continue; // a crafted entry name must not escape the target directory
        }
        Files.createDirectories(out.getParent());
        try (InputStream in = file.getInputStream(entry)) {
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        count++;
      }
    }
    return count;
  }

  /**
   * Copies the protos bundled with the generator: the well-known types from the protobuf-java it
   * runs with and {@code runar/options.proto}.
   */
  public static void extractBundled(Path target) throws IOException {
    extractLocation(com.google.protobuf.Empty.class, target);
    Path options = target.resolve(RunarOptions.OPTIONS_FILE);
    Files.createDirectories(options.getParent());
    try (InputStream in =
        ProtoIncludes.class.getResourceAsStream("/" + RunarOptions.OPTIONS_FILE)) {
      if (in == null) {
        throw new IOException(RunarOptions.OPTIONS_FILE + " is missing from the generator's jar");
      }
      Files.copy(in, options, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void extractLocation(Class<?> type, Path target) throws IOException {
    Path location;
    try {
      location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IOException("cannot locate the jar of " + type.getName(), e);
    }
    if (Files.isDirectory(location)) {
      return; // classes directory (an IDE run): nothing bundled to extract
    }
    extractJar(location, target);
  }
}
