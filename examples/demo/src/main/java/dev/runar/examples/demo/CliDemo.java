package dev.runar.examples.demo;

import dev.runar.security.DevelopmentCa;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The demo's nodes for the {@code runar} command line: {@code greeter} and {@code sensors} run in
 * processes of their own, as in {@link Demo}, with mutual TLS and multicast discovery, and keep
 * running (sensors publishes readings) until interrupted (Ctrl-C) or for the number of seconds
 * given as the second argument (0: until interrupted). The run's development CA also issues a
 * certificate for {@code cli}, and the options that let {@code runar} join the run's network are
 * written to the file named by the first argument, one per line, for {@code runar nodes @FILE}.
 */
public final class CliDemo {
  private CliDemo() {}

  public static void main(String[] args) throws Exception {
    Path argsFile = Path.of(args.length > 0 ? args[0] : "runar-demo.args").toAbsolutePath();
    long seconds =
        args.length > 1 && Long.parseLong(args[1]) > 0 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path certificates = Files.createTempDirectory("runar-cli-demo-");
    DevelopmentCa ca = DevelopmentCa.create("cli-demo-" + run);
    for (String id : List.of("cli", "greeter", "sensors")) {
      ca.writePem(id, certificates);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    DemoSettings settings =
        new DemoSettings(
            "demo-" + run,
            "239.255." + random.nextInt(1, 255) + "." + random.nextInt(1, 255),
            random.nextInt(20_000, 60_000),
            certificates,
            Optional.empty()); // multicast discovery
    Files.createDirectories(argsFile.getParent());
    Files.write(
        argsFile,
        List.of(
            "--network " + settings.networkId(),
            "--multicast " + settings.group() + ":" + settings.port(),
            "--ca " + certificates.resolve("ca.crt"),
            "--cert " + certificates.resolve("cli.crt"),
            "--key " + certificates.resolve("cli.key")),
        StandardCharsets.UTF_8);
    List<String> lines = new CopyOnWriteArrayList<>();
    Process greeter = Demo.spawn("greeter", settings, System.out, lines);
    Process sensors = Demo.spawn("sensors", settings, System.out, lines);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  leave(greeter);
                  leave(sensors);
                  try {
                    greeter.waitFor(5, TimeUnit.SECONDS);
                    sensors.waitFor(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  greeter.destroyForcibly();
                  sensors.destroyForcibly();
                  stopped.countDown();
                }));
    System.out.println(
        "cli-demo: greeter and sensors run on network "
            + settings.networkId()
            + ", "
            + settings.discoveryDescription());
    System.out.println("cli-demo: the options to join it are in " + argsFile + "; try");
    System.out.println("cli-demo:   runar-cli/target/runar nodes @" + argsFile);
    System.out.println("cli-demo: Ctrl-C stops the demo");
    if (!stopped.await(seconds, TimeUnit.SECONDS)) {
      System.exit(0); // runs the shutdown hook
    }
  }

  /** Closes the process's standard input: its node says goodbye and stops. */
  private static void leave(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // it has ended already
    }
  }
}
