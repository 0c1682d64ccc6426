package dev.runar.maven;

import java.util.Locale;
import java.util.Optional;

/**
 * Maps the JVM's {@code os.name} and {@code os.arch} to the classifier of the {@code
 * com.google.protobuf:protoc} executable published for that platform.
 */
final class ProtocPlatform {
  private ProtocPlatform() {}

  /** The classifier for this JVM's platform. */
  static Optional<String> current() {
    return classifier(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /** The classifier for {@code osName}/{@code osArch}, e.g. {@code linux-x86_64}; empty if none. */
  static Optional<String> classifier(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String family;
    if (os.startsWith("linux")) {
      family = "linux";
    } else if (os.startsWith("mac") || os.startsWith("darwin")) {
      family = "osx";
    } else if (os.startsWith("windows")) {
      family = "windows";
    } else {
      return Optional.empty();
    }
    String arch =
        switch (osArch.toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64", "x64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch_64";
          default -> null;
        };
    if (arch == null || (family.equals("windows") && arch.equals("aarch_64"))) {
      return Optional.empty(); // protoc publishes no Windows arm64 build
    }
    return Optional.of(family + '-' + arch);
  }
}
