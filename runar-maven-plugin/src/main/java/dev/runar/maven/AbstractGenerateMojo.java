package dev.runar.maven;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import dev.runar.codegen.ProtoIncludes;
import dev.runar.codegen.Protoc;
import dev.runar.codegen.RunarGenerator;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;

/**
 * What both goals do: run protoc once over a proto source root (Java messages plus a descriptor
 * set), run the Runar generator in-process on that descriptor set, and register the output as a
 * source root. Skips protoc when nothing it depends on changed since the last run.
 */
public abstract class AbstractGenerateMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
  private RepositorySystemSession repositorySession;

  @Parameter(defaultValue = "${project.remoteProjectRepositories}", readonly = true, required = true)
  private List<RemoteRepository> remoteRepositories;

  @Component private RepositorySystem repositorySystem;

  /** Extra directories protoc may import from; their files are not generated. */
  @Parameter private List<File> additionalProtoPaths = new ArrayList<>();

  /** The protoc version to resolve; default: the one matching Runar's protobuf-java. */
  @Parameter(property = "runar.protocVersion")
  private String protocVersion;

  /** A local protoc to use instead of resolving one from Maven repositories. */
  @Parameter(property = "runar.protocExecutable")
  private File protocExecutable;

  /** The protoc classifier to resolve, e.g. {@code osx-aarch_64}; default: this machine's. */
  @Parameter(property = "runar.protocClassifier")
  private String protocClassifier;

  /** Also generate the Java message classes (protoc's {@code --java_out}). */
  @Parameter(property = "runar.generateJava", defaultValue = "true")
  private boolean generateJava;

  /** Skip this goal. */
  @Parameter(property = "runar.skip", defaultValue = "false")
  private boolean skip;

  /** The directory whose .proto files are generated. */
  protected abstract File protoSourceRoot();

  /** Where generated sources go. */
  protected abstract File outputDirectory();

  /** The dependency classpath whose jars may hold imported .proto files. */
  protected abstract List<String> classpathElements() throws DependencyResolutionRequiredException;

  /** Registers {@code dir} as a compile or test-compile source root. */
  protected abstract void addSourceRoot(String dir);

  /** A short name for this goal's working files. */
  protected abstract String goal();

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Runar generation skipped");
      return;
    }
    Path sourceRoot = protoSourceRoot().toPath();
    Path output = outputDirectory().toPath();
    Path work = Path.of(project.getBuild().getDirectory(), "runar-protoc", goal());
    try {
      List<String> protos = relativeNames(sourceRoot);
      if (protos.isEmpty()) {
        getLog().info("No .proto files in " + sourceRoot);
        return;
      }
      List<Path> classpath = new ArrayList<>();
      for (String element : classpathElements()) {
        classpath.add(Path.of(element));
      }
      Path protoc = protoc(work);
      String fingerprint = fingerprint(sourceRoot, protos, classpath, protoc);
      Path stamp = work.resolve("fingerprint");
      if (Files.isDirectory(output)
          && Files.exists(stamp)
          && Files.readString(stamp).equals(fingerprint)) {
        getLog().info("Runar sources are up to date (" + protos.size() + " .proto files)");
      } else {
        generate(protoc, sourceRoot, protos, classpath, output, work);
        Files.writeString(stamp, fingerprint, StandardCharsets.UTF_8);
      }
      addSourceRoot(output.toString());
    } catch (IOException | UncheckedIOException e) {
      throw new MojoExecutionException("Runar generation failed: " + e.getMessage(), e);
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("Dependencies are not resolved: " + e.getMessage(), e);
    }
  }

  private void generate(
      Path protoc, Path sourceRoot, List<String> protos, List<Path> classpath, Path output, Path work)
      throws IOException, MojoFailureException {
    deleteRecursively(output);
    Files.createDirectories(output);
    Path includes = work.resolve("includes");
    deleteRecursively(includes);
    Files.createDirectories(includes);

    List<Path> importPaths = new ArrayList<>();
    importPaths.add(sourceRoot);
    additionalProtoPaths.forEach(p -> importPaths.add(p.toPath()));
    for (Path entry : classpath) {
      if (Files.isDirectory(entry)) {
        importPaths.add(entry); // a reactor module's classes: protos sit there as resources
      } else if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
        ProtoIncludes.extractJar(entry, includes);
      }
    }
    ProtoIncludes.extractBundled(includes);
    importPaths.add(includes);

    Path descriptors = work.resolve("descriptors.pb");
    try {
      new Protoc(protoc).compile(importPaths, protos, generateJava ? output : null, descriptors);
    } catch (Protoc.ProtocException e) {
      throw new MojoFailureException("protoc failed:\n" + e.getMessage());
    }
    CodeGeneratorRequest request = Protoc.request(descriptors, protos);
    CodeGeneratorResponse response = RunarGenerator.generate(request);
    if (response.hasError()) {
      throw new MojoFailureException("Runar generator failed: " + response.getError());
    }
    for (CodeGeneratorResponse.File file : response.getFileList()) {
      Path out = output.resolve(file.getName());
      Files.createDirectories(out.getParent());
      Files.writeString(out, file.getContent(), StandardCharsets.UTF_8);
    }
    getLog()
        .info(
            "Generated " + response.getFileCount() + " Runar sources from " + protos.size()
                + " .proto files into " + output);
  }

  private Path protoc(Path work) throws MojoExecutionException {
    if (protocExecutable != null) {
      if (!protocExecutable.canExecute()) {
        throw new MojoExecutionException("protocExecutable " + protocExecutable + " is not executable");
      }
      return protocExecutable.toPath();
    }
    String classifier =
        protocClassifier != null
            ? protocClassifier
            : ProtocPlatform.current()
                .orElseThrow(
                    () ->
                        new MojoExecutionException(
                            "No com.google.protobuf:protoc build for "
                                + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                                + ": set <protocExecutable> or <protocClassifier>"));
    return new ProtocResolver(repositorySystem, repositorySession, remoteRepositories)
        .resolve(protocVersion(), classifier, work.getParent().resolve("bin"));
  }

  private String protocVersion() throws MojoExecutionException {
    return protocVersion != null ? protocVersion : pluginProperties().getProperty("protobuf.version");
  }

  private String fingerprint(Path sourceRoot, List<String> protos, List<Path> classpath, Path protoc)
      throws IOException, MojoExecutionException {
    Fingerprint fp =
        new Fingerprint()
            .add("plugin", pluginProperties().getProperty("plugin.version"))
            .add("protoc", protoc)
            .add("protocSize", Files.size(protoc))
            .add("generateJava", generateJava)
            .add("additionalProtoPaths", additionalProtoPaths)
            .add("generator", generatorBuild());
    for (String proto : protos) {
      fp.addFileContent(sourceRoot.resolve(proto));
    }
    for (File dir : additionalProtoPaths) {
      for (Path proto : Fingerprint.protoFiles(dir.toPath())) {
        fp.addFileContent(proto);
      }
    }
    for (Path entry : classpath) {
      fp.addClasspathEntry(entry);
    }
    return fp.hex();
  }

  /**
   * Identifies the generator's build, so a rebuilt generator of the same (snapshot) version still
   * regenerates: its jar's size and modification time.
   */
  private static String generatorBuild() throws IOException {
    try {
      Path jar = Path.of(RunarGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(jar) ? jar + ":" + Files.size(jar) + ":" + Files.getLastModifiedTime(jar) : jar.toString();
    } catch (java.net.URISyntaxException | SecurityException e) {
      return "unknown";
    }
  }

  private static List<String> relativeNames(Path root) throws IOException {
    List<String> names = new ArrayList<>();
    for (Path proto : Fingerprint.protoFiles(root)) {
      names.add(root.relativize(proto).toString().replace(File.separatorChar, '/'));
    }
    return names;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Properties pluginProperties() throws MojoExecutionException {
    Properties properties = new Properties();
    try (InputStream in =
        AbstractGenerateMojo.class.getResourceAsStream("/runar-maven-plugin.properties")) {
      if (in == null) {
        throw new MojoExecutionException("runar-maven-plugin.properties is missing from the plugin");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new MojoExecutionException("Cannot read runar-maven-plugin.properties", e);
    }
    return properties;
  }
}
