package dev.runar.grpc.gateway;

import static dev.runar.grpc.gateway.GatewayFixture.ECHO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.grpc.gateway.testing.EchoGrpc;
import dev.runar.grpc.gateway.testing.EchoReply;
import dev.runar.grpc.gateway.testing.EchoRequest;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ListServiceResponse;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's own generated client (protoc-gen-grpc-java) against a Runar service hosted on another
 * node, through the gateway: all four shapes, metadata, deadlines, errors, cancellation, flow
 * control, health and reflection, and the service leaving when its node stops.
 */
class GrpcJavaClientTest {
  private final GatewayFixture fixture;
  private final ManagedChannel channel;

  GrpcJavaClientTest() throws Exception {
    fixture = new GatewayFixture();
    channel = Grpc.newChannelBuilder(fixture.target(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    fixture.close();
  }

  private static EchoRequest text(String text) {
    return EchoRequest.newBuilder().setText(text).build();
  }

  @Test
  void unaryCarriesMetadataBothKindsAndReachesTheOtherNode() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-tag", Metadata.ASCII_STRING_MARSHALLER), "blue");
    headers.put(
        Metadata.Key.of("x-data-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {1, 2, 3});
    // A caller cannot pose as the gateway's identity headers: they are dropped.
    headers.put(Metadata.Key.of(Mapping.PEER_KEY, Metadata.ASCII_STRING_MARSHALLER), "forged");
    EchoReply reply =
        EchoGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .say(text("hi"));
    assertEquals("hi", reply.getText());
    assertEquals("x-data-bin=AQID;x-tag=blue", reply.getMetadata());
    assertEquals("echo-node", reply.getNodeId());
    // grpc-timeout became the Runar deadline (and travelled on to the other node).
    assertTrue(
        reply.getDeadlineMillis() > 5_000 && reply.getDeadlineMillis() <= 10_000, reply.toString());
  }

  @Test
  void aRunarStatusArrivesWithItsCodeAndDescription() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> EchoGrpc.newBlockingStub(channel).say(text("fail")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("asked to fail", e.getStatus().getDescription());
  }

  @Test
  void aRunarStatusWithDetailsAndTrailersArrivesAsGrpcsRichError() throws Exception {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> EchoGrpc.newBlockingStub(channel).say(text("fail-rich")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    com.google.rpc.Status rich = io.grpc.protobuf.StatusProto.fromThrowable(e);
    assertEquals("asked to fail richly", rich.getMessage());
    assertEquals(
        EchoService.BAD_REQUEST, rich.getDetails(0).unpack(com.google.rpc.BadRequest.class));
    assertEquals(
        "asked",
        e.getTrailers()
            .get(io.grpc.Metadata.Key.of("x-why", io.grpc.Metadata.ASCII_STRING_MARSHALLER)));
  }

  @Test
  void theGrpcDeadlineBecomesTheRunarDeadline() {
    long start = System.nanoTime();
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                EchoGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                    .say(text("slow").toBuilder().setDelayMillis(5_000).build()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
  }

  @Test
  void serverStreaming() {
    Iterator<EchoReply> replies =
        EchoGrpc.newBlockingStub(channel).count(text("n").toBuilder().setCount(5).build());
    List<String> texts = new ArrayList<>();
    replies.forEachRemaining(r -> texts.add(r.getText()));
    assertEquals(List.of("n 1", "n 2", "n 3", "n 4", "n 5"), texts);
  }

  @Test
  void clientStreaming() throws Exception {
    CompletableFuture<EchoReply> result = new CompletableFuture<>();
    StreamObserver<EchoRequest> requests =
        EchoGrpc.newStub(channel).join(observer(result, new ArrayList<>()));
    requests.onNext(text("a"));
    requests.onNext(text("b"));
    requests.onNext(text("c"));
    requests.onCompleted();
    assertEquals("a+b+c", result.get(10, TimeUnit.SECONDS).getText());
  }

  @Test
  void bidiStreamingAndAFailureMidStream() throws Exception {
    List<EchoReply> received = new ArrayList<>();
    CompletableFuture<EchoReply> done = new CompletableFuture<>();
    StreamObserver<EchoRequest> requests = EchoGrpc.newStub(channel).chat(observer(done, received));
    requests.onNext(text("x"));
    requests.onNext(text("y"));
    requests.onCompleted();
    done.get(10, TimeUnit.SECONDS);
    synchronized (received) {
      assertEquals(List.of("X", "Y"), received.stream().map(EchoReply::getText).toList());
    }

    CompletableFuture<EchoReply> failed = new CompletableFuture<>();
    StreamObserver<EchoRequest> failing =
        EchoGrpc.newStub(channel).chat(observer(failed, new ArrayList<>()));
    failing.onNext(text("fail"));
    Throwable t = assertThrows(Exception.class, () -> failed.get(10, TimeUnit.SECONDS)).getCause();
    assertEquals(Status.Code.INVALID_ARGUMENT, Status.fromThrowable(t).getCode());
  }

  @Test
  void cancellingTheGrpcCallStopsTheRunarProducer() throws Exception {
    Context.CancellableContext context = Context.current().withCancellation();
    Context previous = context.attach();
    try {
      Iterator<EchoReply> replies =
          EchoGrpc.newBlockingStub(channel)
              .count(text("c").toBuilder().setCount(1_000_000).setDelayMillis(1).build());
      assertEquals("c 1", replies.next().getText());
      assertEquals("c 2", replies.next().getText());
    } finally {
      context.detach(previous);
    }
    context.cancel(null);
    assertTrue(
        fixture.echo.producerStopped.await(5, TimeUnit.SECONDS),
        "the producer on the other node stopped");
    assertTrue(fixture.echo.sent.get() < 1_000_000);
  }

  @Test
  void aSlowGrpcClientSlowsTheRunarStream() throws Exception {
    LinkedBlockingQueue<EchoReply> received = new LinkedBlockingQueue<>();
    CompletableFuture<ClientCallStreamObserver<EchoRequest>> call = new CompletableFuture<>();
    String kilobyte = "k".repeat(1024);
    EchoGrpc.newStub(channel)
        .count(
            text(kilobyte).toBuilder().setCount(1_000_000).build(),
            new ClientResponseObserver<EchoRequest, EchoReply>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<EchoRequest> requestStream) {
                requestStream.disableAutoRequestWithInitial(1);
                call.complete(requestStream);
              }

              @Override
              public void onNext(EchoReply value) {
                received.add(value);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    assertTrue(received.poll(10, TimeUnit.SECONDS) != null);
    // The client reads nothing more: every window (gRPC's, the gateway's, QUIC's) fills and the
    // producer on the other node waits. Without flow control it would send all million.
    GatewayFixture.eventually(
        () -> {
          long before = fixture.echo.sent.get();
          Thread.sleep(300);
          return fixture.echo.sent.get() == before;
        });
    long stalledAt = fixture.echo.sent.get();
    System.out.println(
        "slow client: the producer stalled after " + stalledAt + " messages of 1 KiB");
    assertTrue(stalledAt < 40_000, "producer ran ahead by " + stalledAt);
    // Reading on (past HTTP/2's window, so the gateway's side turns ready) lets it go on.
    call.get().request(5_000);
    GatewayFixture.eventually(() -> fixture.echo.sent.get() > stalledAt);
    call.get().cancel("done", null);
  }

  @Test
  void aSlowRunarConsumerHoldsBackTheGrpcClient() throws Exception {
    CompletableFuture<EchoReply> result = new CompletableFuture<>();
    ClientCallStreamObserver<EchoRequest> requests =
        (ClientCallStreamObserver<EchoRequest>)
            EchoGrpc.newStub(channel).join(observer(result, new ArrayList<>()));
    // The handler on the other node reads this one, then reads nothing for 10 s.
    requests.onNext(text("hold").toBuilder().setDelayMillis(10_000).build());
    EchoRequest kilobyte = text("k".repeat(1024));
    long sent = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < end) {
      if (requests.isReady()) {
        requests.onNext(kilobyte);
        sent++;
      } else {
        Thread.sleep(1);
      }
    }
    System.out.println("slow consumer: the gRPC client could send " + sent + " messages of 1 KiB");
    // Without flow control through the gateway the client could send for the whole 3 s.
    assertFalse(requests.isReady(), "the client is held back");
    assertTrue(sent < 40_000, "sent " + sent);
    requests.cancel("done", null);
  }

  @Test
  void healthAndReflectionFollowTheServiceAndItLeavesWithinTwoSecondsOfItsNodeStopping()
      throws Exception {
    HealthGrpc.HealthBlockingStub health =
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    assertEquals(
        ServingStatus.SERVING,
        health.check(HealthCheckRequest.newBuilder().setService(ECHO).build()).getStatus());
    assertEquals(
        ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
    assertTrue(reflectedServices().contains(ECHO));

    long stopped = System.nanoTime();
    fixture.serviceNode.stop();
    // UNIMPLEMENTED: the method is gone, not failing.
    GatewayFixture.eventually(
        () -> {
          try {
            EchoGrpc.newBlockingStub(channel)
                .withDeadlineAfter(1, TimeUnit.SECONDS)
                .say(text("hi"));
            return false;
          } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.UNIMPLEMENTED;
          }
        });
    assertEquals(
        ServingStatus.NOT_SERVING,
        HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder().setService(ECHO).build())
            .getStatus());
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
    assertTrue(tookMillis <= 2_000, "took " + tookMillis + " ms");
    assertFalse(reflectedServices().contains(ECHO));
  }

  @Test
  void aServiceAPeerRemovesLeavesAndComesBackWhenItIsAddedAgain() throws Exception {
    assertTrue(fixture.serviceNode.removeService("echo"));
    GatewayFixture.eventually(() -> !fixture.gateway.services().contains(ECHO));
    StatusRuntimeException gone =
        assertThrows(
            StatusRuntimeException.class, () -> EchoGrpc.newBlockingStub(channel).say(text("hi")));
    assertEquals(Status.Code.UNIMPLEMENTED, gone.getStatus().getCode());

    fixture.serviceNode.addService(new EchoService());
    GatewayFixture.eventually(() -> fixture.gateway.services().contains(ECHO));
    assertEquals(
        "hi",
        EchoGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .say(text("hi"))
            .getText());
  }

  @Test
  void aServiceOnTheGatewaysOwnNodeIsServedToo() throws Exception {
    Node local = Node.create(NodeConfig.builder().nodeId("local-node").build()).start();
    try (GrpcGateway gateway =
        GrpcGateway.start(
            local,
            GrpcGatewayConfig.builder()
                .plaintext()
                .refreshInterval(java.time.Duration.ofMillis(100))
                .build())) {
      assertFalse(gateway.services().contains(ECHO));
      local.addService(new EchoService());
      GatewayFixture.eventually(() -> gateway.services().contains(ECHO));
      ManagedChannel direct =
          Grpc.newChannelBuilder("127.0.0.1:" + gateway.port(), InsecureChannelCredentials.create())
              .build();
      try {
        assertEquals("local-node", EchoGrpc.newBlockingStub(direct).say(text("hi")).getNodeId());
        List<String> texts = new ArrayList<>();
        EchoGrpc.newBlockingStub(direct)
            .count(text("l").toBuilder().setCount(2).build())
            .forEachRemaining(r -> texts.add(r.getText()));
        assertEquals(List.of("l 1", "l 2"), texts);
        assertEquals("127.0.0.1", gateway.address().getAddress().getHostAddress());
      } finally {
        direct.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      local.stop();
    }
  }

  private Set<String> reflectedServices() throws Exception {
    CompletableFuture<ServerReflectionResponse> response = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    response.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    response.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    ListServiceResponse list = response.get(5, TimeUnit.SECONDS).getListServicesResponse();
    return list.getServiceList().stream().map(ServiceResponse::getName).collect(Collectors.toSet());
  }

  private static StreamObserver<EchoReply> observer(
      CompletableFuture<EchoReply> done, List<EchoReply> received) {
    return new StreamObserver<>() {
      private EchoReply last;

      @Override
      public void onNext(EchoReply value) {
        synchronized (received) {
          received.add(value);
        }
        last = value;
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(last);
      }
    };
  }
}
