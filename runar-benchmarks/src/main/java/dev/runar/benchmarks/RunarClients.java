package dev.runar.benchmarks;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.StatusException;
import dev.runar.benchmarks.proto.EchoRunar;
import dev.runar.benchmarks.proto.Payload;
import dev.runar.discovery.MemoryDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Runar echo clients: through generated stubs, to a service on another node or the same one. */
final class RunarClients {
  private RunarClients() {}

  /** The echo service, replying with its request. */
  static final class EchoService extends EchoRunar.EchoImplBase {
    @Override
    public Payload call(Payload request) {
      return request;
    }
  }

  static NodeConfig.Builder config(String id, boolean direct) {
    return NodeConfig.builder().nodeId(id).directExecution(direct);
  }

  static NodeConfig.Builder networked(
      String id, String network, MemoryDiscovery.Network discovery, boolean direct) {
    return config(id, direct)
        .networkId(network)
        .transport(
            new QuicTransport(
                QuicTransportConfig.builder().security(Security.development()).build()))
        .discovery(discovery.discovery());
  }

  /** A client node calling a server node over QUIC (TLS 1.3) on 127.0.0.1. */
  static EchoClient remote(boolean direct) throws Exception {
    MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
    String network = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    Node server = Node.create(networked("bench-server", network, discovery, direct).build());
    server.addService(new EchoService());
    server.start();
    Node client =
        Node.create(networked("bench-client", network, discovery, direct).build()).start();
    awaitReachable(EchoRunar.newBlockingStub(client));
    return client(
        EchoRunar.newFutureStub(client),
        () -> {
          client.stop();
          server.stop();
        });
  }

  /** A stub calling a service on its own node: no serialization, no network. */
  static EchoClient local(boolean direct) {
    Node node = Node.create(config("bench-local", direct).build());
    node.addService(new EchoService());
    node.start();
    return client(EchoRunar.newFutureStub(node), node::stop);
  }

  private static EchoClient client(EchoRunar.EchoFutureStub stub, Runnable stop) {
    return new EchoClient() {
      @Override
      public CompletableFuture<Payload> call(Payload request) {
        return stub.call(request);
      }

      @Override
      public void close() {
        stop.run();
      }
    };
  }

  static void awaitReachable(EchoRunar.EchoBlockingStub stub) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        stub.call(Payload.getDefaultInstance());
        return;
      } catch (StatusException e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }
}
