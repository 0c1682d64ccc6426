package dev.runar.benchmarks;

import com.google.protobuf.ByteString;
import dev.runar.BlockingStream;
import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.StatusException;
import dev.runar.StreamSink;
import dev.runar.benchmarks.proto.EchoRunar;
import dev.runar.benchmarks.proto.Payload;
import dev.runar.benchmarks.proto.StreamRequest;
import dev.runar.discovery.MemoryDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** Runar echo clients: through generated stubs, to a service on another node or the same one. */
final class RunarClients {
  private RunarClients() {}

  /** The echo service, replying with its request. */
  static final class EchoService extends EchoRunar.EchoImplBase {
    @Override
    public Payload call(Payload request) {
      return request;
    }

    @Override
    public void stream(StreamRequest request, StreamSink<Payload> responses) {
      Payload message =
          Payload.newBuilder().setData(ByteString.copyFrom(new byte[request.getSize()])).build();
      for (int i = 0; i < request.getCount(); i++) {
        responses.send(message);
      }
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
    return remote(direct, 1);
  }

  /**
   * {@code clients} client nodes (each its own QUIC connection) calling one server node, the calls
   * spread over them in turn.
   */
  static EchoClient remote(boolean direct, int clients) throws Exception {
    return remote(direct, clients, UnaryOperator.identity());
  }

  /**
   * {@link #remote(boolean)} with metrics (into a Micrometer registry) and tracing (every span
   * sampled, batched to an exporter that drops them) on both nodes: the overhead a user turning
   * {@code runar-observability} on pays.
   */
  static EchoClient observed(boolean direct) throws Exception {
    return remote(direct, 1, config -> config.extension(Observed.extension()));
  }

  private static EchoClient remote(
      boolean direct, int clients, UnaryOperator<NodeConfig.Builder> extra) throws Exception {
    MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
    String network = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    Node server =
        Node.create(extra.apply(networked("bench-server", network, discovery, direct)).build());
    server.addService(new EchoService());
    server.start();
    List<Node> nodes = new ArrayList<>();
    List<EchoRunar.EchoFutureStub> stubs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Node client =
          Node.create(
                  extra.apply(networked("bench-client-" + i, network, discovery, direct)).build())
              .start();
      awaitReachable(EchoRunar.newBlockingStub(client));
      nodes.add(client);
      stubs.add(EchoRunar.newFutureStub(client));
    }
    EchoRunar.EchoBlockingStub blocking = EchoRunar.newBlockingStub(nodes.get(0));
    AtomicInteger next = new AtomicInteger();
    return new EchoClient() {
      @Override
      public CompletableFuture<Payload> call(Payload request) {
        return stubs.get(Math.floorMod(next.getAndIncrement(), clients)).call(request);
      }

      @Override
      public long stream(int count, int size) throws Exception {
        long received = 0;
        try (BlockingStream<Payload> messages =
            blocking.stream(StreamRequest.newBuilder().setCount(count).setSize(size).build())) {
          while (messages.hasNext()) {
            messages.next();
            received++;
          }
        }
        return received;
      }

      @Override
      public void close() {
        nodes.forEach(Node::stop);
        server.stop();
      }
    };
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
