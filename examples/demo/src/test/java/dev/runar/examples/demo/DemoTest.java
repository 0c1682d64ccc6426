package dev.runar.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.discovery.etcd.EtcdServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the README demo's flow (three processes) and checks what happened, not just that it ended.
 */
class DemoTest {
  @Test
  @Timeout(90)
  void threeProcessesDiscoverCallExchangeEventsAndNoticeALeave() throws Exception {
    check(Optional.empty());
  }

  @Test
  @Timeout(90)
  void theSameThroughEtcdWithMulticastOff() throws Exception {
    try (EtcdServer etcd = EtcdServer.start()) {
      String printed = check(Optional.of(etcd.clientUrl().toString()));
      assertTrue(printed.contains("through etcd at " + etcd.clientUrl()), printed);
    }
  }

  private static String check(Optional<String> etcd) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Demo.Result result = Demo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8), etcd);
    String printed = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(result.greeting().startsWith("Hello, dashboard!"), printed);
    assertEquals("sensors", result.thermostatNode(), printed);
    assertTrue(result.readings() >= 4, printed);
    assertTrue(result.noticedLeave(), printed);
    assertTrue(result.servicesGone(), printed);
    assertEquals(List.of(0, 0), result.exitCodes(), printed);
    // The greeter process got temperatures through its own wildcard subscription, and saw the
    // leave.
    assertTrue(
        result.processOutput().stream()
            .anyMatch(l -> l.startsWith("greeter: received sensors/temperature")),
        printed);
    assertTrue(result.processOutput().contains("greeter: noticed that sensors left"), printed);
    assertTrue(result.ok(), printed);
    return printed;
  }
}
