package dev.runar.benchmarks;

import dev.runar.benchmarks.proto.Payload;
import java.time.Duration;
import java.util.List;

/**
 * Drives one echo client hard for a while, to profile it: {@code Profile <runar|grpc|quic|local>
 * <direct|executor> <seconds> [payload bytes, default 100] [calls in flight, default 64]}. Run
 * under JFR ({@code -XX:StartFlightRecording=...}) to see where the time goes; docs/performance.md
 * says what was found.
 */
public final class Profile {
  private Profile() {}

  public static void main(String[] args) throws Exception {
    boolean direct = args[1].equals("direct");
    Duration time = Duration.ofSeconds(Long.parseLong(args[2]));
    Settings settings =
        new Settings(
            5_000,
            Duration.ZERO,
            1,
            Duration.ofSeconds(5),
            time,
            List.of(64),
            List.of(100),
            0,
            0,
            0,
            0,
            List.of());
    try (EchoClient client =
        switch (args[0]) {
          case "runar" -> RunarClients.remote(direct);
          case "grpc" -> GrpcClients.remote(false, direct);
          case "local" -> RunarClients.local(direct);
          default -> new QuicEcho();
        }) {
      Payload payload = UnaryBenchmark.payload(args.length > 3 ? Integer.parseInt(args[3]) : 100);
      int inFlight = args.length > 4 ? Integer.parseInt(args[4]) : 64;
      System.out.printf(
          "%s %s, %d in flight: %.0f req/s%n",
          args[0],
          args[1],
          inFlight,
          new UnaryBenchmark(settings).throughput(client, payload, inFlight));
    }
    System.exit(0);
  }
}
