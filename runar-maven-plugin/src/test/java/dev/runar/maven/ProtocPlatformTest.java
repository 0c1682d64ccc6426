package dev.runar.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProtocPlatformTest {
  @Test
  void mapsCommonPlatforms() {
    assertEquals(Optional.of("linux-x86_64"), ProtocPlatform.classifier("Linux", "amd64"));
    assertEquals(Optional.of("linux-aarch_64"), ProtocPlatform.classifier("Linux", "aarch64"));
    assertEquals(Optional.of("osx-aarch_64"), ProtocPlatform.classifier("Mac OS X", "aarch64"));
    assertEquals(Optional.of("osx-x86_64"), ProtocPlatform.classifier("Mac OS X", "x86_64"));
    assertEquals(Optional.of("windows-x86_64"), ProtocPlatform.classifier("Windows 11", "amd64"));
  }

  @Test
  void unsupportedPlatformsHaveNoClassifier() {
    assertEquals(Optional.empty(), ProtocPlatform.classifier("SunOS", "sparcv9"));
    assertEquals(Optional.empty(), ProtocPlatform.classifier("Linux", "riscv64"));
    assertEquals(Optional.empty(), ProtocPlatform.classifier("Windows 11", "aarch64"));
  }
}
