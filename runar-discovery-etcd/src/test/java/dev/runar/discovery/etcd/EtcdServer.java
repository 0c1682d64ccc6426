package dev.runar.discovery.etcd;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real etcd server ({@code /usr/bin/etcd}, Debian's {@code etcd-server}) for one test: a member
 * of a single-member or three-member cluster on 127.0.0.1 with free ports and a temporary data
 * directory, deleted on close. Its output goes to {@code etcd.log} beside the data directory. Not
 * thread-safe: driven by the test's thread. Public, in this module's test-jar, for other modules'
 * tests.
 */
public final class EtcdServer implements AutoCloseable {
  static final Path ETCD = Path.of(System.getProperty("etcd.binary", "/usr/bin/etcd"));
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();

  private final String name;
  private final int clientPort;
  private final int peerPort;
  private final Path dir;

  /** etcd's flags for TLS on its client URL, or none for plain http. */
  private final List<String> tlsFlags;

  private List<String> arguments = List.of();
  private Process process;

  private EtcdServer(String name, Path dir, List<String> tlsFlags) throws IOException {
    this.name = name;
    this.clientPort = freePort();
    this.peerPort = freePort();
    this.dir = dir;
    this.tlsFlags = List.copyOf(tlsFlags);
  }

  /** A single-member etcd, started and healthy. */
  public static EtcdServer start() throws Exception {
    EtcdServer server = new EtcdServer("solo", Files.createTempDirectory("runar-etcd-"), List.of());
    server.configure(List.of(server), "runar-test-" + UUID.randomUUID());
    server.launch();
    server.awaitHealthy(START_TIMEOUT);
    return server;
  }

  /**
   * A single-member etcd serving https with {@code certificate} and {@code key} (PEM), requiring
   * client certificates issued by {@code ca}; started and accepting connections.
   */
  static EtcdServer startTls(Path certificate, Path key, Path ca) throws Exception {
    List<String> flags =
        List.of(
            "--cert-file",
            certificate.toString(),
            "--key-file",
            key.toString(),
            "--trusted-ca-file",
            ca.toString(),
            "--client-cert-auth");
    EtcdServer server = new EtcdServer("solo", Files.createTempDirectory("runar-etcd-"), flags);
    server.configure(List.of(server), "runar-test-" + UUID.randomUUID());
    server.launch();
    server.awaitHealthy(START_TIMEOUT);
    return server;
  }

  /** A cluster of {@code size} members, every member started and healthy. */
  static List<EtcdServer> cluster(int size) throws Exception {
    List<EtcdServer> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      members.add(
          new EtcdServer("m" + i, Files.createTempDirectory("runar-etcd-m" + i + "-"), List.of()));
    }
    String token = "runar-test-" + UUID.randomUUID();
    for (EtcdServer member : members) {
      member.configure(members, token);
      member.launch();
    }
    for (EtcdServer member : members) {
      member.awaitHealthy(START_TIMEOUT);
    }
    return members;
  }

  /** The comma-separated client URLs of {@code members}, as the discovery takes them. */
  static String endpoints(List<EtcdServer> members) {
    return members.stream().map(m -> m.clientUrl().toString()).collect(Collectors.joining(","));
  }

  public URI clientUrl() {
    return URI.create((tlsFlags.isEmpty() ? "http" : "https") + "://127.0.0.1:" + clientPort);
  }

  String name() {
    return name;
  }

  private URI peerUrl() {
    return URI.create("http://127.0.0.1:" + peerPort);
  }

  private void configure(List<EtcdServer> members, String clusterToken) throws IOException {
    Files.createDirectories(dir);
    String initialCluster =
        members.stream().map(m -> m.name + "=" + m.peerUrl()).collect(Collectors.joining(","));
    List<String> command =
        new ArrayList<>(
            List.of(
                ETCD.toString(),
                "--name",
                name,
                "--data-dir",
                dir.resolve("data").toString(),
                "--listen-client-urls",
                clientUrl().toString(),
                "--advertise-client-urls",
                clientUrl().toString(),
                "--listen-peer-urls",
                peerUrl().toString(),
                "--initial-advertise-peer-urls",
                peerUrl().toString(),
                "--initial-cluster",
                initialCluster,
                "--initial-cluster-state",
                "new",
                "--initial-cluster-token",
                clusterToken,
                "--heartbeat-interval",
                "100",
                "--election-timeout",
                "1000"));
    command.addAll(tlsFlags);
    this.arguments = List.copyOf(command);
  }

  private void launch() throws IOException {
    File log = dir.resolve("etcd.log").toFile();
    process =
        new ProcessBuilder(arguments)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .start();
  }

  /** kill -9, and waits for the process to end. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("etcd " + name + " did not die");
    }
  }

  /** Starts the member again on its ports and data directory (after {@link #kill}). */
  void restart() throws IOException {
    launch();
  }

  /**
   * Waits until the member's {@code /health} says true (it has a leader); with TLS, until its
   * client port accepts connections.
   */
  void awaitHealthy(Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (!healthy()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "etcd " + name + " exited: " + Files.readString(dir.resolve("etcd.log")));
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("etcd " + name + " not healthy within " + timeout);
      }
      Thread.sleep(20);
    }
  }

  boolean healthy() {
    if (!tlsFlags.isEmpty()) {
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPort), 300);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(clientUrl().resolve("/health"))
                  .timeout(Duration.ofMillis(500))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }
}
