package dev.runar.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputManifestTest {
  @TempDir Path dir;

  private Path write(String relative) throws Exception {
    Path file = dir.resolve("out").resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, relative);
    return file;
  }

  @Test
  void filesNotRecordedAreForeignAndNeverDeleted() throws Exception {
    Path out = dir.resolve("out");
    Path hand = write("com/example/Hand.java");
    Path old = write("com/example/gen/OldRunar.java");
    Path kept = write("com/example/gen/KeptRunar.java");
    Path gone = write("org/other/GoneRunar.java");
    OutputManifest manifest = OutputManifest.read(dir.resolve("state/outputs"));
    assertEquals(4, manifest.foreignFiles(out).size(), "nothing is ours before we record it");

    manifest.write(
        List.of(
            "com/example/gen/OldRunar.java",
            "com/example/gen/KeptRunar.java",
            "org/other/GoneRunar.java"));
    OutputManifest reread = OutputManifest.read(dir.resolve("state/outputs"));
    assertEquals(List.of("com/example/Hand.java"), reread.foreignFiles(out));
    assertTrue(reread.allPresent(out));

    reread.deleteExcept(out, Set.of("com/example/gen/KeptRunar.java"));
    assertTrue(Files.isRegularFile(hand), "a hand-written file survives");
    assertTrue(Files.isRegularFile(kept));
    assertFalse(Files.exists(old));
    assertFalse(Files.exists(gone));
    assertFalse(Files.exists(out.resolve("org")), "directories emptied by the deletion go too");
    assertTrue(
        Files.isDirectory(out.resolve("com/example")), "directories still holding files stay");
    assertFalse(reread.allPresent(out));
  }
}
