package dev.runar.grpc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code buf curl} (npm {@code @bufbuild/buf}) calls the Runar service through the gateway with no
 * .proto at all: it learns the schema by server reflection (v1, and v1alpha when asked).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BufCurlTest {
  private GatewayFixture fixture;
  private Path buf;
  private Path dir;

  @BeforeAll
  void start() throws Exception {
    dir = ExternalClients.npmClients();
    buf = dir.resolve("node_modules/.bin/buf");
    fixture = new GatewayFixture();
  }

  @AfterAll
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private ExternalClients.Result curl(String stdin, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(buf.toString(), "curl", "--protocol", "grpc", "--http2-prior-knowledge"));
    command.addAll(List.of(args));
    ExternalClients.Result result =
        ExternalClients.runWithInput(
            Duration.ofMinutes(1), dir, stdin, command.toArray(String[]::new));
    System.out.println("$ buf curl " + String.join(" ", args) + "\n" + result.both());
    return result;
  }

  private String url(String method) {
    return "http://" + fixture.target() + "/gatewaytest.Echo/" + method;
  }

  @Test
  void listsTheServicesByReflectionV1AndTheMethodsByV1alpha() throws Exception {
    ExternalClients.Result services = curl("", "--list-services", "http://" + fixture.target());
    assertEquals(0, services.exitCode(), services.both());
    assertTrue(services.stdout().lines().anyMatch("gatewaytest.Echo"::equals), services.both());
    assertTrue(services.stdout().contains("grpc.health.v1.Health"), services.both());

    ExternalClients.Result methods =
        curl(
            "",
            "--reflect-protocol",
            "grpc-v1alpha",
            "--list-methods",
            "http://" + fixture.target());
    assertEquals(0, methods.exitCode(), methods.both());
    for (String m : List.of("Say", "Count", "Join", "Chat")) {
      assertTrue(methods.stdout().contains("gatewaytest.Echo/" + m), methods.both());
    }
  }

  @Test
  void unaryWithMetadata() throws Exception {
    ExternalClients.Result r = curl("", "-H", "x-tag: blue", "-d", "{\"text\":\"hi\"}", url("Say"));
    assertEquals(0, r.exitCode(), r.both());
    assertTrue(r.stdout().contains("\"text\": \"hi\""), r.both());
    assertTrue(r.stdout().contains("\"metadata\": \"x-tag=blue\""), r.both());
    assertTrue(r.stdout().contains("\"nodeId\": \"echo-node\""), r.both());
  }

  @Test
  void serverClientAndBidirectionalStreaming() throws Exception {
    ExternalClients.Result count = curl("", "-d", "{\"text\":\"n\",\"count\":3}", url("Count"));
    assertEquals(0, count.exitCode(), count.both());
    assertTrue(
        count.stdout().contains("\"n 1\"") && count.stdout().contains("\"n 3\""), count.both());

    ExternalClients.Result join =
        curl("{\"text\":\"a\"}\n{\"text\":\"b\"}\n", "-d", "@-", url("Join"));
    assertEquals(0, join.exitCode(), join.both());
    assertTrue(join.stdout().contains("\"a+b\""), join.both());

    ExternalClients.Result chat =
        curl("{\"text\":\"x\"}\n{\"text\":\"y\"}\n", "-d", "@-", url("Chat"));
    assertEquals(0, chat.exitCode(), chat.both());
    assertTrue(chat.stdout().contains("\"X\"") && chat.stdout().contains("\"Y\""), chat.both());
  }

  @Test
  void errorStatusAndDeadline() throws Exception {
    ExternalClients.Result failed = curl("", "-d", "{\"text\":\"fail\"}", url("Say"));
    assertNotEquals(0, failed.exitCode(), failed.both());
    assertTrue(failed.stderr().contains("invalid_argument"), failed.both());
    assertTrue(failed.stderr().contains("asked to fail"), failed.both());

    // buf sends its --timeout as grpc-timeout; the Runar call ends by it.
    ExternalClients.Result late =
        curl(
            "", "--timeout", "500ms", "-d", "{\"text\":\"slow\",\"delayMillis\":5000}", url("Say"));
    assertNotEquals(0, late.exitCode(), late.both());
    assertTrue(late.both().toLowerCase(java.util.Locale.ROOT).contains("deadline"), late.both());
  }
}
