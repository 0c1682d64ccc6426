package dev.runar.benchmarks;

import dev.runar.Node;
import dev.runar.grpc.gateway.GrpcGateway;
import dev.runar.grpc.gateway.GrpcGatewayConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;

/**
 * grpc-java's generated client calling the Runar echo service through {@link GrpcGateway}: the same
 * client and HTTP/2 hop as {@code grpc-plaintext}, with a Runar node behind the gateway instead of
 * a grpc-java server, so the ratio of the two is the gateway's cost.
 */
final class GatewayClients {
  private GatewayClients() {}

  /** The service on the gateway's own node; {@code direct}: directExecutor and direct execution. */
  static EchoClient remote(boolean direct) throws Exception {
    Node node = Node.create(RunarClients.config("bench-gateway", direct).build());
    node.addService(new RunarClients.EchoService());
    node.start();
    GrpcGateway gateway = GrpcGateway.start(node, GrpcGatewayConfig.builder().plaintext().build());
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!gateway.services().contains("bench.Echo")) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("the gateway does not serve bench.Echo");
      }
      Thread.sleep(10);
    }
    NettyChannelBuilder channel =
        NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext();
    if (direct) {
      channel.directExecutor();
    }
    ManagedChannel built = channel.build();
    return GrpcClients.client(
        built,
        () -> {
          gateway.close();
          node.stop();
        });
  }
}
