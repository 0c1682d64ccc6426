package dev.runar.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Finds the protoc executable for this platform in the project's Maven repositories ({@code
 * com.google.protobuf:protoc:<version>:exe:<classifier>}) and makes a runnable copy of it: the
 * repository file has no execute bit.
 */
final class ProtocResolver {
  private final RepositorySystem system;
  private final RepositorySystemSession session;
  private final List<RemoteRepository> repositories;

  ProtocResolver(
      RepositorySystem system,
      RepositorySystemSession session,
      List<RemoteRepository> repositories) {
    this.system = system;
    this.session = session;
    this.repositories = repositories;
  }

  /** Resolves protoc and copies it, executable, into {@code binDir}. */
  Path resolve(String version, String classifier, Path binDir) throws MojoExecutionException {
    String coordinates = "com.google.protobuf:protoc:" + version + ":exe:" + classifier;
    Path file;
    try {
      file =
          system
              .resolveArtifact(
                  session,
                  new ArtifactRequest(
                      new DefaultArtifact(
                          "com.google.protobuf", "protoc", classifier, "exe", version),
                      repositories,
                      null))
              .getArtifact()
              .getFile()
              .toPath();
    } catch (ArtifactResolutionException e) {
      throw new MojoExecutionException(
          "Could not resolve protoc "
              + coordinates
              + " from the project's repositories"
              + " (set <protocExecutable> to use a local protoc): "
              + e.getMessage(),
          e);
    }
    Path executable = binDir.resolve("protoc-" + version + "-" + classifier + ".exe");
    try {
      Files.createDirectories(binDir);
      if (!Files.exists(executable) || Files.size(executable) != Files.size(file)) {
        Path tmp = Files.createTempFile(binDir, "protoc", ".tmp");
        Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(
            tmp, executable, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new MojoExecutionException("Could not copy " + file + " to " + executable, e);
    }
    if (!executable.toFile().setExecutable(true)) {
      throw new MojoExecutionException("Could not make " + executable + " executable");
    }
    return executable;
  }
}
