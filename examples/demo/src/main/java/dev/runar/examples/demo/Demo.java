package dev.runar.examples.demo;

import dev.runar.Node;
import dev.runar.StatusException;
import dev.runar.examples.greeter.GreeterRunar;
import dev.runar.examples.greeter.HelloReply;
import dev.runar.examples.greeter.HelloRequest;
import dev.runar.examples.sensors.HumidityReading;
import dev.runar.examples.sensors.TargetReply;
import dev.runar.examples.sensors.TargetRequest;
import dev.runar.examples.sensors.TemperatureReading;
import dev.runar.examples.sensors.ThermostatRunar;
import dev.runar.network.Peers.PeerState;
import dev.runar.security.DevelopmentCa;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The README demo: three nodes in three processes on this machine find each other by multicast (or
 * through etcd, with the system property {@value #ETCD_PROPERTY} set to etcd's endpoints), connect
 * over QUIC with mutual TLS (certificates from a development CA made for this run), call each other
 * through generated stubs, exchange typed events through wildcard subscriptions, and notice when
 * one of them leaves. Prints what happens; exits with 0 when every step worked.
 */
public final class Demo {
  /** System property: comma-separated etcd endpoints; the nodes then discover through etcd. */
  public static final String ETCD_PROPERTY = "runar.demo.etcd";

  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

  private Demo() {}

  public static void main(String[] args) throws Exception {
    Optional<String> etcd =
        Optional.ofNullable(System.getProperty(ETCD_PROPERTY))
            .map(String::trim)
            .filter(e -> !e.isEmpty());
    Result result = run(System.out, etcd);
    System.out.println(
        result.ok() ? "Demo finished: every step worked." : "Demo FAILED: " + result);
    System.exit(result.ok() ? 0 : 1);
  }

  /** What the demo observed, for its test. */
  public record Result(
      String greeting,
      String thermostatNode,
      int readings,
      boolean noticedLeave,
      boolean servicesGone,
      List<String> processOutput,
      List<Integer> exitCodes) {
    public boolean ok() {
      return greeting.startsWith("Hello, dashboard!")
          && thermostatNode.equals("sensors")
          && readings >= 4
          && noticedLeave
          && servicesGone
          && exitCodes.equals(List.of(0, 0));
    }
  }

  /** Runs the demo with multicast discovery. */
  public static Result run(PrintStream out) throws Exception {
    return run(out, Optional.empty());
  }

  /** Runs the demo, discovering through etcd at {@code etcdEndpoints} when present. */
  public static Result run(PrintStream out, Optional<String> etcdEndpoints) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path certificates = Files.createTempDirectory("runar-demo-");
    DevelopmentCa ca = DevelopmentCa.create("demo-" + run);
    for (String id : List.of("dashboard", "greeter", "sensors")) {
      ca.writePem(id, certificates);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    DemoSettings settings =
        new DemoSettings(
            "demo-" + run,
            "239.255." + random.nextInt(1, 255) + "." + random.nextInt(1, 255),
            random.nextInt(20_000, 60_000),
            certificates,
            etcdEndpoints);
    out.println("Runar demo: three nodes, three processes, one machine.");
    out.println(
        "A development CA issued certificates for dashboard, greeter and sensors (mutual TLS).");

    Node dashboard = settings.node("dashboard");
    List<String> readings = new CopyOnWriteArrayList<>();
    CountDownLatch fourReadings = new CountDownLatch(4);
    CountDownLatch sensorsLeft = new CountDownLatch(1);
    dashboard.subscribe(
        "sensors/>",
        event -> {
          String line;
          if (event.is(TemperatureReading.class)) {
            TemperatureReading t = event.payload(TemperatureReading.class);
            line = t.getRoom() + " " + t.getCelsius() + " °C";
          } else {
            HumidityReading h = event.payload(HumidityReading.class);
            line = h.getRoom() + " " + h.getPercent() + " %";
          }
          if (readings.size() < 4) {
            out.println("dashboard: event on " + event.topic().actionPath() + ": " + line);
          }
          readings.add(line);
          fourReadings.countDown();
        });
    dashboard
        .peers()
        .addListener(
            (before, after) -> {
              if (after != null
                  && after.state() == PeerState.CONNECTED
                  && (before == null || before.state() != PeerState.CONNECTED)) {
                out.println("dashboard: connected to " + after.nodeId() + " over QUIC");
              } else if (before != null
                  && before.nodeId().equals("sensors")
                  && before.state() == PeerState.CONNECTED
                  && (after == null || after.state() != PeerState.CONNECTED)) {
                out.println("dashboard: noticed that sensors left");
                sensorsLeft.countDown();
              }
            });
    dashboard.start();
    out.println("dashboard: started, looking for peers " + settings.discoveryDescription());

    List<String> processOutput = new CopyOnWriteArrayList<>();
    Process greeter = spawn("greeter", settings, out, processOutput);
    Process sensors = spawn("sensors", settings, out, processOutput);
    List<Integer> exitCodes = new ArrayList<>();
    String greeting = "";
    String thermostatNode = "";
    boolean servicesGone = false;
    boolean noticedLeave = false;
    try {
      HelloReply hello =
          retry(
              () ->
                  GreeterRunar.newBlockingStub(dashboard)
                      .withTimeout(Duration.ofSeconds(2))
                      .sayHello(HelloRequest.newBuilder().setName("dashboard").build()));
      greeting = hello.getMessage();
      out.println(
          "dashboard: called greeter through GreeterRunar stub: \""
              + greeting
              + "\" (answered by "
              + hello.getNodeId()
              + ")");

      TargetReply target =
          retry(
              () ->
                  ThermostatRunar.newBlockingStub(dashboard)
                      .withTimeout(Duration.ofSeconds(2))
                      .setTarget(
                          TargetRequest.newBuilder().setRoom("kitchen").setCelsius(21.5).build()));
      thermostatNode = target.getNodeId();
      out.println(
          "dashboard: set the kitchen to 21.5 °C on "
              + thermostatNode
              + " (was "
              + target.getPreviousCelsius()
              + " °C)");

      fourReadings.await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      // The greeter subscribes too: let it hear a reading before sensors leaves (with etcd, the
      // greeter and sensors processes may find each other after the dashboard found both).
      awaitLine(processOutput, "greeter: received sensors/temperature");

      out.println("demo: asking sensors to leave");
      sensors.getOutputStream().close();
      exitCodes.add(waitFor(sensors));
      noticedLeave = sensorsLeft.await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      try {
        ThermostatRunar.newBlockingStub(dashboard)
            .withTimeout(Duration.ofSeconds(2))
            .setTarget(TargetRequest.newBuilder().setRoom("kitchen").setCelsius(22).build());
      } catch (StatusException e) {
        servicesGone = true;
        out.println("dashboard: the thermostat is gone with its node: " + e.getMessage());
      }
      greeter.getOutputStream().close();
      exitCodes.add(waitFor(greeter));
    } finally {
      greeter.destroyForcibly();
      sensors.destroyForcibly();
      dashboard.stop();
      out.println("dashboard: stopped");
    }
    return new Result(
        greeting,
        thermostatNode,
        readings.size(),
        noticedLeave,
        servicesGone,
        processOutput,
        exitCodes);
  }

  static Process spawn(String role, DemoSettings settings, PrintStream out, List<String> lines)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty(
                    "surefire.test.class.path", System.getProperty("java.class.path")),
                DemoNode.class.getName(),
                role));
    command.addAll(settings.asArguments());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread relay =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  lines.add(line);
                  out.println("  [" + role + " process] " + line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "relay-" + role);
    relay.setDaemon(true);
    relay.start();
    return process;
  }

  /**
   * Waits, within the step timeout, until a process printed a line starting with {@code prefix}.
   */
  private static void awaitLine(List<String> lines, String prefix) throws InterruptedException {
    long end = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (lines.stream().noneMatch(l -> l.startsWith(prefix)) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
  }

  private static int waitFor(Process process) throws InterruptedException {
    return process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** Calls until the service is discovered and answers, within the step timeout. */
  private static <T> T retry(Supplier<T> call) throws InterruptedException {
    long end = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (StatusException e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
