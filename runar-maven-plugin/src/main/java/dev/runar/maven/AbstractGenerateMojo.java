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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
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
 *
 * <p>The plugin owns only what it generated: each execution records its outputs in a state
 * directory of its own ({@code target/runar-protoc/<goal>/<execution id>}) and deletes only those
 * when it regenerates. It refuses an output directory holding files it did not write (set to {@code
 * src/main/java}, it would otherwise replace hand-written sources) and one that another execution
 * in the module also writes.
 */
public abstract class AbstractGenerateMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
  private RepositorySystemSession repositorySession;

  @Parameter(
      defaultValue = "${project.remoteProjectRepositories}",
      readonly = true,
      required = true)
  private List<RemoteRepository> remoteRepositories;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  private MojoExecution mojoExecution;

  @Component private RepositorySystem repositorySystem;

  /** Key of the project context value mapping claimed output directories to their executions. */
  private static final String CLAIMS = "dev.runar.maven.outputDirectories";

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

  /** The {@code outputDirectory} the user configured, if any. */
  protected abstract Optional<File> configuredOutputDirectory();

  /** The directory under {@code target/} that holds default output directories. */
  protected abstract String defaultOutputParent();

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
    Path output = outputDirectory();
    Path work = stateDirectory();
    claim(output);
    try {
      OutputManifest manifest = OutputManifest.read(work.resolve("outputs"));
      adoptLegacyOutput(output, work, manifest);
      List<String> protos = relativeNames(sourceRoot);
      if (protos.isEmpty()) {
        getLog().info("No .proto files in " + sourceRoot);
        if (!manifest.outputs().isEmpty()) {
          manifest.deleteExcept(output, Set.of()); // what earlier protos generated goes with them
          manifest.write(List.of());
        }
        Files.deleteIfExists(work.resolve("fingerprint"));
        return;
      }
      refuseForeignFiles(output, manifest);
      List<Path> classpath = new ArrayList<>();
      for (String element : classpathElements()) {
        classpath.add(Path.of(element));
      }
      Path protoc = protoc();
      String fingerprint = fingerprint(sourceRoot, protos, classpath, protoc, output);
      Path stamp = work.resolve("fingerprint");
      if (Files.exists(stamp)
          && Files.readString(stamp).equals(fingerprint)
          && manifest.allPresent(output)) {
        getLog()
            .info("Runar sources are up to date (" + protos.size() + " .proto files) in " + output);
      } else {
        Files.deleteIfExists(stamp);
        generate(protoc, sourceRoot, protos, classpath, output, work, manifest);
        Files.writeString(stamp, fingerprint, StandardCharsets.UTF_8);
      }
      addSourceRoot(output.toString());
    } catch (IOException | UncheckedIOException e) {
      throw new MojoExecutionException("Runar generation failed: " + e.getMessage(), e);
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("Dependencies are not resolved: " + e.getMessage(), e);
    }
  }

  /**
   * Where generated sources go: the configured {@code outputDirectory}, else {@code
   * target/generated-sources/runar} for an execution with a default id and {@code
   * target/generated-sources/runar-<id>} for any other, so that two executions never share one.
   */
  private Path outputDirectory() {
    return configuredOutputDirectory()
        .map(File::toPath)
        .orElseGet(
            () -> {
              String id = mojoExecution.getExecutionId();
              String name = id.startsWith("default") ? "runar" : "runar-" + id;
              return Path.of(project.getBuild().getDirectory(), defaultOutputParent(), name);
            })
        .toAbsolutePath()
        .normalize();
  }

  /** This execution's own working files: fingerprint, manifest, staging area. */
  private Path stateDirectory() {
    return Path.of(
            project.getBuild().getDirectory(),
            "runar-protoc",
            goal(),
            mojoExecution.getExecutionId())
        .toAbsolutePath()
        .normalize();
  }

  private String executionName() {
    return "runar:"
        + mojoExecution.getGoal()
        + " (execution '"
        + mojoExecution.getExecutionId()
        + "')";
  }

  /**
   * Records that this execution writes {@code output} in this build, and refuses an output
   * directory another execution of the plugin in the same module writes, or one inside it, or one
   * holding it: each would delete or claim the other's files.
   */
  private void claim(Path output) throws MojoFailureException {
    synchronized (project) {
      @SuppressWarnings("unchecked")
      Map<Path, String> claimed = (Map<Path, String>) project.getContextValue(CLAIMS);
      if (claimed == null) {
        claimed = new HashMap<>();
        project.setContextValue(CLAIMS, claimed);
      }
      String me = executionName();
      for (Map.Entry<Path, String> other : claimed.entrySet()) {
        if (!other.getValue().equals(me)
            && (output.startsWith(other.getKey()) || other.getKey().startsWith(output))) {
          throw new MojoFailureException(
              me
                  + " and "
                  + other.getValue()
                  + " both write to "
                  + output
                  + (output.equals(other.getKey())
                      ? ""
                      : " (one inside the other: " + other.getKey() + ")")
                  + ". Each deletes what it generated when it regenerates, so each needs a directory"
                  + " of its own: give one of them another <outputDirectory>, or leave"
                  + " <outputDirectory> unset to get target/"
                  + defaultOutputParent()
                  + "/runar-<execution id>.");
        }
      }
      claimed.put(output, me);
    }
  }

  /**
   * Runar plugins from before output manifests kept one fingerprint per goal ({@code
   * target/runar-protoc/<goal>/fingerprint}) and cleared the whole output directory on each run, so
   * everything in it is theirs: it is adopted once, and upgrading needs no {@code mvn clean}.
   */
  private void adoptLegacyOutput(Path output, Path work, OutputManifest manifest)
      throws IOException {
    Path legacyStamp =
        Path.of(project.getBuild().getDirectory(), "runar-protoc", goal(), "fingerprint");
    if (Files.exists(work.resolve("outputs")) || !Files.isRegularFile(legacyStamp)) {
      return;
    }
    manifest.write(OutputManifest.relativeFiles(output));
    Files.delete(legacyStamp);
    getLog()
        .info(
            "Adopted "
                + manifest.outputs().size()
                + " files generated by an earlier Runar plugin in "
                + output);
  }

  private void refuseForeignFiles(Path output, OutputManifest manifest)
      throws IOException, MojoFailureException {
    List<String> foreign = manifest.foreignFiles(output);
    if (foreign.isEmpty()) {
      return;
    }
    List<String> shown = foreign.subList(0, Math.min(5, foreign.size()));
    throw new MojoFailureException(
        "outputDirectory "
            + output
            + " holds "
            + foreign.size()
            + " file(s) that "
            + executionName()
            + " did not generate: "
            + String.join(", ", shown)
            + (foreign.size() > shown.size()
                ? " and " + (foreign.size() - shown.size()) + " more"
                : "")
            + ". Nothing was changed. Runar replaces what it generated each time, so its output needs a"
            + " directory of its own: point <outputDirectory> at an empty directory, or leave it unset"
            + " (target/"
            + defaultOutputParent()
            + "/runar). If these files are left over from an"
            + " earlier Runar version or another execution, delete them (mvn clean).");
  }

  private void generate(
      Path protoc,
      Path sourceRoot,
      List<String> protos,
      List<Path> classpath,
      Path output,
      Path work,
      OutputManifest manifest)
      throws IOException, MojoFailureException {
    Path staging = work.resolve("staging");
    deleteRecursively(staging);
    Files.createDirectories(staging);
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
      new Protoc(protoc).compile(importPaths, protos, generateJava ? staging : null, descriptors);
    } catch (Protoc.ProtocException e) {
      throw new MojoFailureException("protoc failed:\n" + e.getMessage());
    }
    CodeGeneratorRequest request = Protoc.request(descriptors, protos);
    CodeGeneratorResponse response = RunarGenerator.generate(request);
    if (response.hasError()) {
      throw new MojoFailureException("Runar generator failed:\n" + response.getError());
    }
    for (CodeGeneratorResponse.File file : response.getFileList()) {
      Path out = staging.resolve(file.getName());
      Files.createDirectories(out.getParent());
      Files.writeString(out, file.getContent(), StandardCharsets.UTF_8);
    }

    // Publish: own old and new files first (so an interrupted run leaves nothing unowned), drop
    // the old ones no longer generated, move the new ones in, then own exactly the new ones.
    List<String> generated = OutputManifest.relativeFiles(staging);
    Set<String> both = new TreeSet<>(manifest.outputs());
    both.addAll(generated);
    manifest.write(both);
    manifest.deleteExcept(output, new HashSet<>(generated));
    for (String path : generated) {
      Path target = output.resolve(path);
      Files.createDirectories(target.getParent());
      Files.move(staging.resolve(path), target, StandardCopyOption.REPLACE_EXISTING);
    }
    manifest.write(generated);
    getLog()
        .info(
            "Generated "
                + response.getFileCount()
                + " Runar sources from "
                + protos.size()
                + " .proto files into "
                + output);
  }

  private Path protoc() throws MojoExecutionException {
    if (protocExecutable != null) {
      if (!protocExecutable.canExecute()) {
        throw new MojoExecutionException(
            "protocExecutable " + protocExecutable + " is not executable");
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
                                + System.getProperty("os.name")
                                + "/"
                                + System.getProperty("os.arch")
                                + ": set <protocExecutable> or <protocClassifier>"));
    return new ProtocResolver(repositorySystem, repositorySession, remoteRepositories)
        .resolve(
            protocVersion(),
            classifier,
            Path.of(project.getBuild().getDirectory(), "runar-protoc", "bin"));
  }

  private String protocVersion() throws MojoExecutionException {
    return protocVersion != null
        ? protocVersion
        : pluginProperties().getProperty("protobuf.version");
  }

  private String fingerprint(
      Path sourceRoot, List<String> protos, List<Path> classpath, Path protoc, Path output)
      throws IOException, MojoExecutionException {
    Fingerprint fp =
        new Fingerprint()
            .add("output", output)
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
      Path jar =
          Path.of(RunarGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(jar)
          ? jar + ":" + Files.size(jar) + ":" + Files.getLastModifiedTime(jar)
          : jar.toString();
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
        throw new MojoExecutionException(
            "runar-maven-plugin.properties is missing from the plugin");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new MojoExecutionException("Cannot read runar-maven-plugin.properties", e);
    }
    return properties;
  }
}
