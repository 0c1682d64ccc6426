package dev.runar.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Generates Java messages and Runar stubs and server bases from {@code src/test/proto} into
 * {@code target/generated-test-sources/runar}, a test source root.
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

  /** Where generated sources go. */
  @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/runar")
  private File outputDirectory;

  @Override
  protected File protoSourceRoot() {
    return protoSourceRoot;
  }

  @Override
  protected File outputDirectory() {
    return outputDirectory;
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
