package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.discovery.MulticastDiscovery;
import dev.runar.examples.chat.ChatProtos.ChatMessage;
import dev.runar.examples.chat.ChatProtos.PostAck;
import dev.runar.examples.chat.RoomRunar;
import dev.runar.examples.helloworld.GreeterRunar;
import dev.runar.examples.helloworld.HelloReply;
import dev.runar.examples.helloworld.HelloRequest;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two JVM processes on loopback find each other by multicast and call through generated stubs. */
class MultiProcessMulticastTest {
  @Test
  void twoProcessesFindEachOtherAndCallBothWays() throws Exception {
    String group =
        "239.255."
            + ThreadLocalRandom.current().nextInt(1, 255)
            + "."
            + ThreadLocalRandom.current().nextInt(1, 255);
    int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
    String network = "mp-" + UUID.randomUUID().toString().substring(0, 8);
    Node a =
        Node.create(
            NodeConfig.builder()
                .nodeId("process-a")
                .networkId(network)
                .transport(
                    new QuicTransport(
                        QuicTransportConfig.builder().security(Security.development()).build()))
                .discovery(
                    MulticastDiscovery.create(
                        MulticastDiscovery.Config.builder()
                            .group(group)
                            .port(port)
                            .announceInterval(Duration.ofMillis(200))
                            .build()))
                .build());
    a.addService(
        new RoomRunar.RoomImplBase() {
          @Override
          public PostAck post(ChatMessage request) {
            return PostAck.newBuilder().setId(42).build();
          }
        });
    a.start();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                MulticastPeerMain.class.getName(),
                group,
                String.valueOf(port),
                network)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      CompletableFuture<String> report =
          CompletableFuture.supplyAsync(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = out.readLine()) != null) {
                    if (line.startsWith("CHILD_")) {
                      return line;
                    }
                  }
                  return "EOF";
                } catch (Exception e) {
                  return e.toString();
                }
              });
      HelloReply reply = null;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (reply == null && System.nanoTime() < end) {
        try {
          reply =
              GreeterRunar.newBlockingStub(a)
                  .withTimeout(Duration.ofSeconds(2))
                  .sayHello(HelloRequest.newBuilder().setName("a").build());
        } catch (StatusException e) {
          Thread.sleep(100);
        }
      }
      assertEquals("Hello a from process-b", reply == null ? null : reply.getMessage());
      assertEquals("CHILD_CALLED 42", report.get(30, TimeUnit.SECONDS));
      child.getOutputStream().close();
      assertTrue(child.waitFor(15, TimeUnit.SECONDS), "the other process did not stop");
      assertEquals(0, child.exitValue());
    } finally {
      child.destroyForcibly();
      a.stop();
    }
  }
}
