package dev.runar.grpc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Node.js's {@code @grpc/grpc-js} with {@code @grpc/proto-loader} (versions pinned by the lockfile
 * under the test resources) calls the Runar service on another node through the gateway: {@code
 * client.js} checks all four shapes, metadata, a deadline, error statuses and cancellation.
 */
class NodeJsClientTest {
  @Test
  void grpcJsCallsEveryShapeThroughTheGateway() throws Exception {
    Path clients = ExternalClients.npmClients();
    try (GatewayFixture fixture = new GatewayFixture()) {
      ExternalClients.Result result =
          ExternalClients.run(
              Duration.ofMinutes(2),
              clients,
              "node",
              "client.js",
              fixture.target(),
              ExternalClients.protoIncludes().toString());
      System.out.println(result.both());
      assertEquals(0, result.exitCode(), result.both());
      assertEquals(
          8, result.stdout().lines().filter(l -> l.startsWith("PASS ")).count(), result.both());
    }
  }
}
