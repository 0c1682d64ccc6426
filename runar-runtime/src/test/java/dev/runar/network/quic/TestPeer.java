package dev.runar.network.quic;

import com.google.protobuf.ByteString;
import dev.runar.Status;
import dev.runar.network.InboundHandler;
import dev.runar.network.Payload;
import dev.runar.network.PeerConnection;
import dev.runar.network.Reply;
import dev.runar.network.WireStatus;
import dev.runar.security.Security;
import dev.runar.wire.Event;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A transport with a scriptable handler, for testing the transport on its own: by default it echoes
 * each request's payload, on a thread pool (never on the event loop).
 */
final class TestPeer implements InboundHandler, AutoCloseable {
  final String nodeId;
  final QuicTransport transport;
  final ExecutorService executor = Executors.newFixedThreadPool(4);
  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final BlockingQueue<PeerConnection> connected = new LinkedBlockingQueue<>();
  final BlockingQueue<PeerConnection> updated = new LinkedBlockingQueue<>();
  final BlockingQueue<String> disconnected = new LinkedBlockingQueue<>();
  final List<CompletableFuture<Reply>> served = new CopyOnWriteArrayList<>();
  volatile NodeInfo info;
  volatile Function<Request, CompletableFuture<Response>> behaviour =
      request -> CompletableFuture.completedFuture(ok(request.getPayload()));

  /** The transport's default message limit, which it advertises in its NodeInfo. */
  static final int DEFAULT_LIMIT = 4 * 1024 * 1024;

  TestPeer(String nodeId, String networkId, QuicTransportConfig.Builder config) throws Exception {
    this(nodeId, networkId, config, Optional.empty());
  }

  /** With {@code callbacks} where this side's call results complete (else its thread pool). */
  TestPeer(
      String nodeId,
      String networkId,
      QuicTransportConfig.Builder config,
      Optional<Executor> callbacks)
      throws Exception {
    this.nodeId = nodeId;
    this.info = info(nodeId, networkId, 1);
    this.transport = new QuicTransport(config.build());
    transport.start(this, callbacks.orElse(executor));
  }

  TestPeer(String nodeId, Security security) throws Exception {
    this(nodeId, "test", QuicTransportConfig.builder().security(security));
  }

  static NodeInfo info(String nodeId, String networkId, long capabilityVersion) {
    return NodeInfo.newBuilder()
        .setNodeId(nodeId)
        .setNetworkId(networkId)
        .setProtocolVersion(QuicConnection.PROTOCOL_VERSION)
        .setCapabilityVersion(capabilityVersion)
        .build();
  }

  static Response ok(ByteString payload) {
    return Response.newBuilder().setPayload(payload).build();
  }

  /** The header of the echo's requests. */
  static final Request HEADER = Request.newBuilder().setPath("test:echo/say").build();

  static Payload payload(String text) {
    return Payload.of(ByteString.copyFromUtf8(text));
  }

  static Status status(Response response) {
    return WireStatus.fromResponse(response);
  }

  InetSocketAddress address() {
    return transport.localAddress();
  }

  @Override
  public NodeInfo localInfo() {
    return info;
  }

  /** Whether this peer's handlers run on when their callers cancel (as handlers may). */
  volatile boolean ignoresCancellation;

  @Override
  public CompletableFuture<Reply> onRequest(PeerConnection from, Request request) {
    CompletableFuture<Reply> response =
        CompletableFuture.supplyAsync(() -> behaviour.apply(request), executor)
            .thenCompose(f -> f)
            .thenApply(Reply::of);
    if (ignoresCancellation) {
      CompletableFuture<Reply> stubborn =
          new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
              return false;
            }
          };
      response.whenComplete(
          (reply, error) -> {
            if (error == null) {
              stubborn.complete(reply);
            } else {
              stubborn.completeExceptionally(error);
            }
          });
      response = stubborn;
    }
    served.add(response);
    return response;
  }

  /** What this peer does with the streaming calls made to it: by default, refuse them. */
  volatile java.util.function.Consumer<dev.runar.network.CallStream> streams = TestPeer::refuse;

  @Override
  public void onStream(PeerConnection from, Request header, dev.runar.network.CallStream stream) {
    streams.accept(stream);
  }

  /** Reads {@code stream}'s requests and answers UNIMPLEMENTED at once. */
  static void refuse(dev.runar.network.CallStream stream) {
    stream
        .inbound()
        .subscribe(
            new java.util.concurrent.Flow.Subscriber<>() {
              @Override
              public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(ByteString item) {}

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onComplete() {}
            });
    dev.runar.stub.Publishers.<ByteString>failed(
            Status.UNIMPLEMENTED.withDescription("no streams here").asException())
        .subscribe(stream.outbound());
  }

  @Override
  public void onEvent(PeerConnection from, Event event) {
    events.add(event);
  }

  @Override
  public void onConnected(PeerConnection connection) {
    connected.add(connection);
  }

  @Override
  public void onPeerUpdated(PeerConnection connection) {
    updated.add(connection);
  }

  @Override
  public void onDisconnected(PeerConnection connection, String reason) {
    disconnected.add(reason);
  }

  @Override
  public void close() {
    transport.close();
    executor.shutdownNow();
  }
}
