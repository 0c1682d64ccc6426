package dev.runar.discovery.etcd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ProbeNodeMain} in a child JVM on the test class path. Not thread-safe: driven by the
 * test's thread.
 */
final class ProbeProcess implements AutoCloseable {
  private final String nodeId;
  private final Process process;
  private final CompletableFuture<Boolean> ready = new CompletableFuture<>();

  private ProbeProcess(String nodeId, Process process) {
    this.nodeId = nodeId;
    this.process = process;
    Thread reader = new Thread(this::read, "probe-" + nodeId + "-out");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the process; {@link #awaitReady} waits until its node runs. */
  static ProbeProcess start(String nodeId, String network, String endpoints) throws IOException {
    return start(nodeId, network, endpoints, 0);
  }

  /** The same on QUIC port {@code port} of 127.0.0.1 (0: any free port). */
  static ProbeProcess start(String nodeId, String network, String endpoints, int port)
      throws IOException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            ProbeNodeMain.class.getName(),
            nodeId,
            network,
            endpoints,
            String.valueOf(port));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new ProbeProcess(nodeId, process);
  }

  void awaitReady(Duration timeout) throws Exception {
    if (!ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(nodeId + " ended before it was ready");
    }
  }

  /** Closes its standard input: the node stops gracefully. */
  void stopGracefully() throws IOException {
    process.getOutputStream().close();
  }

  /** SIGKILL: no goodbye, no lease revocation. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void read() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.equals("READY")) {
          ready.complete(true);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    ready.complete(false);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
