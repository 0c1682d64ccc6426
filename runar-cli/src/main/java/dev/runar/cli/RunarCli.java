package dev.runar.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code runar} command: joins a Runar network as a light node (hosting no services) to list
 * its nodes and services, describe and call actions with JSON, and watch and publish events. {@code
 * runar --help} and {@code runar help COMMAND} explain each command; {@code docs/cli.md} has them
 * all with an example session.
 *
 * <p>Exit codes: 0 when the command did its work; 1 when it could not (a certificate it cannot
 * read, say); 2 for a mistake on the command line; 64 plus the status code when a call or lookup
 * failed with a Runar status (NOT_FOUND: 69, DEADLINE_EXCEEDED: 68, INVALID_ARGUMENT: 67), as
 * grpcurl does. Messages for people go to standard error; standard output carries only results.
 *
 * <p>Runs one command per process, on the main thread.
 */
@Command(
    name = "runar",
    mixinStandardHelpOptions = true,
    versionProvider = RunarCli.Version.class,
    subcommands = {
      NodesCommand.class,
      ServicesCommand.class,
      DescribeCommand.class,
      CallCommand.class,
      TailCommand.class,
      PublishCommand.class,
      CommandLine.HelpCommand.class
    },
    description = {
      "Sees and pokes a running Runar network: joins it as a light node (no services of its own),"
          + " then lists, describes, calls and watches what runs on it.",
      "",
      "Every command takes the network options (security, network id, discovery); `runar help"
          + " COMMAND` lists them. Options can also live in a file: runar nodes @demo.args",
    },
    footer = {
      "",
      "Exit codes: 0 done; 1 could not run; 2 bad command line; 64 + status code when a call"
          + " failed (NOT_FOUND 69, DEADLINE_EXCEEDED 68, INVALID_ARGUMENT 67, UNAVAILABLE 78).",
    })
public final class RunarCli implements Callable<Integer> {
  @Spec CommandSpec spec;

  private RunarCli() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  /** Runs the command line {@code args} and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line {@code args}; returns the exit code. */
  static int run(String[] args) {
    boolean verbose = List.of(args).contains("-v") || List.of(args).contains("--verbose");
    if (verbose) {
      // Before the first logger exists: slf4j-simple reads its level once.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    PrintWriter out =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
            true);
    PrintWriter err =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8),
            true);
    CommandLine commandLine = new CommandLine(new RunarCli());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          if (e instanceof CliException failure) {
            err.println("runar: " + failure.getMessage());
            err.flush();
            return failure.exitCode();
          }
          err.println("runar: failed unexpectedly: " + e);
          if (verbose) {
            e.printStackTrace(err);
          } else {
            err.println("(--verbose shows where)");
          }
          err.flush();
          return CliException.CANNOT_RUN;
        });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The version, from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = RunarCli.class.getPackage().getImplementationVersion();
      return new String[] {"runar " + (version == null ? "(development build)" : version)};
    }
  }
}
