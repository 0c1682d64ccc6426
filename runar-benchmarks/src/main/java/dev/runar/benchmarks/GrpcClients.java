package dev.runar.benchmarks;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.runar.benchmarks.proto.EchoGrpc;
import dev.runar.benchmarks.proto.Payload;
import dev.runar.benchmarks.proto.StreamRequest;
import dev.runar.security.DevelopmentCa;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** grpc-java echo clients (1.85.1, grpc-netty-shaded), from grpc's own generated stubs. */
final class GrpcClients {
  private GrpcClients() {}

  static final class EchoService extends EchoGrpc.EchoImplBase {
    @Override
    public void call(Payload request, StreamObserver<Payload> responses) {
      responses.onNext(request);
      responses.onCompleted();
    }

    /** Sends as the client's flow control allows (grpc's onReady pattern), as Runar's sink does. */
    @Override
    public void stream(StreamRequest request, StreamObserver<Payload> responses) {
      ServerCallStreamObserver<Payload> out = (ServerCallStreamObserver<Payload>) responses;
      Payload message =
          Payload.newBuilder().setData(ByteString.copyFrom(new byte[request.getSize()])).build();
      int[] sent = {0};
      out.setOnReadyHandler(
          () -> {
            while (out.isReady() && sent[0] < request.getCount()) {
              out.onNext(message);
              sent[0]++;
            }
            if (sent[0] == request.getCount()) {
              sent[0]++;
              out.onCompleted();
            }
          });
    }
  }

  /**
   * Over HTTP/2 on 127.0.0.1, plaintext or TLS; {@code direct}: grpc's directExecutor on both
   * sides.
   */
  static EchoClient remote(boolean tls, boolean direct) throws Exception {
    return remote(tls, direct, 1);
  }

  /** As {@link #remote(boolean, boolean)}, with {@code channels} connections used in turn. */
  static EchoClient remote(boolean tls, boolean direct, int channels) throws Exception {
    NettyServerBuilder serverBuilder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new EchoService());
    NettyChannelBuilder channelBuilder;
    Path certificates = null;
    if (tls) {
      certificates = Files.createTempDirectory("grpc-bench-");
      DevelopmentCa ca = DevelopmentCa.create("grpc-bench");
      ca.writePem("server", certificates);
      serverBuilder.sslContext(
          GrpcSslContexts.forServer(
                  certificates.resolve("server.crt").toFile(),
                  certificates.resolve("server.key").toFile())
              .build());
    }
    if (direct) {
      serverBuilder.directExecutor();
    }
    Server server = serverBuilder.build().start();
    channelBuilder = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort());
    if (tls) {
      channelBuilder
          .sslContext(
              GrpcSslContexts.forClient()
                  .trustManager(certificates.resolve("ca.crt").toFile())
                  .build())
          .overrideAuthority("runar-node");
    } else {
      channelBuilder.usePlaintext();
    }
    if (direct) {
      channelBuilder.directExecutor();
    }
    if (channels == 1) {
      return client(server, channelBuilder.build());
    }
    List<EchoClient> clients = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      clients.add(client(channelBuilder.build(), () -> {}));
    }
    AtomicInteger next = new AtomicInteger();
    return new EchoClient() {
      @Override
      public CompletableFuture<Payload> call(Payload request) {
        return clients.get(Math.floorMod(next.getAndIncrement(), channels)).call(request);
      }

      @Override
      public void close() throws Exception {
        for (EchoClient c : clients) {
          c.close();
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    };
  }

  /** grpc's in-process transport: the anchor for a call within one JVM. */
  static EchoClient inProcess(boolean direct) throws Exception {
    String name = "bench-" + UUID.randomUUID();
    InProcessServerBuilder serverBuilder =
        InProcessServerBuilder.forName(name).addService(new EchoService());
    InProcessChannelBuilder channelBuilder = InProcessChannelBuilder.forName(name);
    if (direct) {
      serverBuilder.directExecutor();
      channelBuilder.directExecutor();
    }
    return client(serverBuilder.build().start(), channelBuilder.build());
  }

  private static EchoClient client(Server server, ManagedChannel channel) {
    return client(channel, () -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
  }

  /** What a client closes after its channel: the server, or a gateway and its node. */
  @FunctionalInterface
  interface Closer {
    void close() throws InterruptedException;
  }

  /** A client on {@code channel} through grpc's generated future stub. */
  static EchoClient client(ManagedChannel channel, Closer afterChannel) {
    EchoGrpc.EchoFutureStub stub = EchoGrpc.newFutureStub(channel);
    EchoGrpc.EchoBlockingStub blocking = EchoGrpc.newBlockingStub(channel);
    return new EchoClient() {
      @Override
      public CompletableFuture<Payload> call(Payload request) {
        return adapt(stub.call(request));
      }

      @Override
      public long stream(int count, int size) {
        long received = 0;
        Iterator<Payload> messages =
            blocking.stream(StreamRequest.newBuilder().setCount(count).setSize(size).build());
        while (messages.hasNext()) {
          messages.next();
          received++;
        }
        return received;
      }

      @Override
      public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        afterChannel.close();
      }
    };
  }

  private static <T> CompletableFuture<T> adapt(ListenableFuture<T> future) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Futures.addCallback(
        future,
        new FutureCallback<>() {
          @Override
          public void onSuccess(T value) {
            result.complete(value);
          }

          @Override
          public void onFailure(Throwable t) {
            result.completeExceptionally(t);
          }
        },
        MoreExecutors.directExecutor());
    return result;
  }
}
