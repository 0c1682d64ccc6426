package dev.runar.grpc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Python's {@code grpcio} (Debian's python3-grpcio) calls the Runar service on another node through
 * the gateway: {@code client.py} checks all four shapes, metadata, a deadline, error statuses,
 * cancellation and health.
 */
class PythonClientTest {
  @Test
  void grpcioCallsEveryShapeThroughTheGateway() throws Exception {
    String python = ExternalClients.pythonWithGrpc();
    try (GatewayFixture fixture = new GatewayFixture()) {
      ExternalClients.Result result =
          ExternalClients.run(
              Duration.ofMinutes(2),
              ExternalClients.CLIENT_SOURCES,
              python,
              "client.py",
              fixture.target());
      System.out.println(result.both());
      assertEquals(0, result.exitCode(), result.both());
      assertEquals(
          9, result.stdout().lines().filter(l -> l.startsWith("PASS ")).count(), result.both());
    }
  }
}
