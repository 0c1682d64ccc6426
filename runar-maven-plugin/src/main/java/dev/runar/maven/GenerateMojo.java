package dev.runar.maven;

import java.io.File;
import java.util.List;
import java.util.Optional;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Generates Java messages and Runar stubs and server bases from {@code src/main/proto} into {@code
 * target/generated-sources/runar}, a compile source root.
 */
@Mojo(
    name = "generate",
    defaultPhase = LifecyclePhase.GENERATE_SOURCES,
    requiresDependencyResolution = ResolutionScope.COMPILE,
    threadSafe = true)
public final class GenerateMojo extends AbstractGenerateMojo {
  /** The directory whose .proto files are generated. */
  @Parameter(defaultValue = "${project.basedir}/src/main/proto", property = "runar.protoSourceRoot")
  private File protoSourceRoot;

  /**
   * Where generated sources go: a directory of their own, which the plugin refuses to share with
   * files it did not generate. Default: {@code target/generated-sources/runar}, or {@code
   * target/generated-sources/runar-<execution id>} for an execution with an id of its own.
   */
  @Parameter private File outputDirectory;

  @Override
  protected File protoSourceRoot() {
    return protoSourceRoot;
  }

  @Override
  protected Optional<File> configuredOutputDirectory() {
    return Optional.ofNullable(outputDirectory);
  }

  @Override
  protected String defaultOutputParent() {
    return "generated-sources";
  }

  @Override
  protected List<String> classpathElements() throws DependencyResolutionRequiredException {
    return project.getCompileClasspathElements();
  }

  @Override
  protected void addSourceRoot(String dir) {
    project.addCompileSourceRoot(dir);
  }

  @Override
  protected String goal() {
    return "main";
  }
}
