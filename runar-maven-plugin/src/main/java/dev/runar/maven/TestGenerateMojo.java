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
 * Generates Java messages and Runar stubs and server bases from {@code src/test/proto} into {@code
 * target/generated-test-sources/runar}, a test source root.
 */
@Mojo(
    name = "test-generate",
    defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES,
    requiresDependencyResolution = ResolutionScope.TEST,
    threadSafe = true)
public final class TestGenerateMojo extends AbstractGenerateMojo {
  /** The directory whose .proto files are generated. */
  @Parameter(
      defaultValue = "${project.basedir}/src/test/proto",
      property = "runar.testProtoSourceRoot")
  private File protoSourceRoot;

  /**
   * Where generated sources go: a directory of their own, which the plugin refuses to share with
   * files it did not generate. Default: {@code target/generated-test-sources/runar}, or {@code
   * target/generated-test-sources/runar-<execution id>} for an execution with an id of its own.
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
    return "generated-test-sources";
  }

  @Override
  protected List<String> classpathElements() throws DependencyResolutionRequiredException {
    return project.getTestClasspathElements();
  }

  @Override
  protected void addSourceRoot(String dir) {
    project.addTestCompileSourceRoot(dir);
  }

  @Override
  protected String goal() {
    return "test";
  }
}
