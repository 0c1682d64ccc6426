package dev.runar.examples.demo;

import dev.runar.Node;
import dev.runar.grpc.gateway.GrpcGateway;
import dev.runar.grpc.gateway.GrpcGatewayConfig;
import dev.runar.security.DevelopmentCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The demo's nodes behind a gRPC gateway: {@code greeter} and {@code sensors} run in processes of
 * their own, as in {@link Demo}; this process runs a third node, {@code gateway}, which hosts
 * nothing and serves every service it can reach as plaintext gRPC on 127.0.0.1 (port 50051, or the
 * first argument). Any gRPC client can then call {@code greeter.Greeter/SayHello}. Runs until
 * interrupted (Ctrl-C), or for the number of seconds given as the second argument (0: until
 * interrupted).
 */
public final class GatewayDemo {
  private GatewayDemo() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    long seconds =
        args.length > 1 && Long.parseLong(args[1]) > 0 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path certificates = Files.createTempDirectory("runar-gateway-demo-");
    DevelopmentCa ca = DevelopmentCa.create("gateway-demo-" + run);
    for (String id : List.of("gateway", "greeter", "sensors")) {
      ca.writePem(id, certificates);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    DemoSettings settings =
        new DemoSettings(
            "gateway-demo-" + run,
            "239.255." + random.nextInt(1, 255) + "." + random.nextInt(1, 255),
            random.nextInt(20_000, 60_000),
            certificates,
            Optional.empty()); // multicast discovery
    Node node = settings.node("gateway").start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Process greeter = Demo.spawn("greeter", settings, System.out, lines);
    Process sensors = Demo.spawn("sensors", settings, System.out, lines);
    GrpcGateway gateway =
        GrpcGateway.start(node, GrpcGatewayConfig.builder().port(port).plaintext().build());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  greeter.destroy();
                  sensors.destroy();
                  node.stop();
                  stopped.countDown();
                }));
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!gateway.services().contains("greeter.Greeter") && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    System.out.println("gateway: gRPC on " + gateway.address() + " serves " + gateway.services());
    System.out.println(
        "gateway: try  npx --yes @bufbuild/buf@1.75.0 curl --protocol grpc --http2-prior-knowledge"
            + " -d '{\"name\":\"Ada\"}' http://127.0.0.1:"
            + gateway.port()
            + "/greeter.Greeter/SayHello");
    System.out.println("gateway: Ctrl-C stops the demo");
    if (!stopped.await(seconds, TimeUnit.SECONDS)) {
      System.exit(0); // runs the shutdown hook
    }
  }
}
