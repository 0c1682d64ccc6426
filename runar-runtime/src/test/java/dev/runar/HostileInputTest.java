package dev.runar;

import static dev.runar.TestServices.eventually;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Int32Value;
import dev.runar.discovery.MemoryDiscovery;
import dev.runar.network.Payload;
import dev.runar.network.PeerConnection;
import dev.runar.network.Peers.PeerState;
import dev.runar.network.WireStatus;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import dev.runar.wire.ActionCapability;
import dev.runar.wire.MethodType;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import dev.runar.wire.ServiceCapability;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a peer sends that a well-behaved node would not: each gets a typed status for its own call
 * or is dropped and counted, never a failure of the connection or of anyone else's calls. Real QUIC
 * on 127.0.0.1.
 */
@Timeout(30)
class HostileInputTest {
  private final MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
  private final String network = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Node> nodes = new ArrayList<>();

  private Node start(String id, int maxMessageSize) {
    Node node =
        Node.create(
            NodeConfig.builder()
                .nodeId(id)
                .networkId(network)
                .transport(
                    new QuicTransport(
                        QuicTransportConfig.builder()
                            .security(Security.development())
                            .maxMessageSize(maxMessageSize)
                            .build()))
                .discovery(discovery.discovery())
                .build());
    nodes.add(node);
    return node.start();
  }

  @AfterEach
  void stopAll() {
    nodes.forEach(Node::stop);
  }

  /**
   * The one connection to {@code peerId}, once both nodes settled which of their simultaneous dials
   * survives (the other is closed as a duplicate).
   */
  private static PeerConnection connectionTo(Node from, String peerId) throws Exception {
    AtomicReference<PeerConnection> settled = new AtomicReference<>();
    eventually(
        () -> {
          List<PeerConnection> open = openConnections(from, peerId);
          if (open.size() != 1) {
            return false;
          }
          Thread.sleep(300);
          List<PeerConnection> later = openConnections(from, peerId);
          settled.set(later.size() == 1 && later.get(0) == open.get(0) ? open.get(0) : null);
          return settled.get() != null;
        });
    return settled.get();
  }

  private static List<PeerConnection> openConnections(Node from, String peerId) {
    return from.config().transport().orElseThrow().connections().stream()
        .filter(c -> c.peerId().equals(peerId) && c.isOpen())
        .toList();
  }

  private static Request header(String path, String typeName) {
    return Request.newBuilder()
        .setPath(path)
        .setTimeoutMicros(5_000_000)
        .setTypeName(typeName)
        .setType(MethodType.UNARY)
        .build();
  }

  @Test
  void aPatternPathSentOverTheWireIsInvalidArgument() throws Exception {
    Node server = start("server", 1 << 20);
    server.addService(TestServices.echo("echo"));
    Node client = start("client", 1 << 20);
    PeerConnection toServer = connectionTo(client, "server");

    Response response =
        toServer
            .call(header(network + ":echo/*", "google.protobuf.StringValue"), Payload.of(str("x")))
            .get(10, TimeUnit.SECONDS);
    Status status = WireStatus.fromResponse(response);
    assertEquals(Status.Code.INVALID_ARGUMENT, status.code(), status::toString);
    eventually(
        () ->
            client
                .call(TestServices.method("echo", "echo"), str("fine"), CallOptions.DEFAULT)
                .handle((reply, error) -> str("fine").equals(reply))
                .get(10, TimeUnit.SECONDS));
  }

  @Test
  void aRequestOfTheWrongTypeIsRefusedTheSameLocallyAndRemotely() throws Exception {
    Node server = start("server", 1 << 20);
    server.addService(TestServices.echo("echo"));
    Node client = start("client", 1 << 20);
    PeerConnection toServer = connectionTo(client, "server");

    Status local =
        Status.fromThrowable(
            assertThrows(
                ExecutionException.class,
                () -> server.request("echo/echo", Int32Value.of(7)).get(10, TimeUnit.SECONDS)));
    Status remoteByNode =
        Status.fromThrowable(
            assertThrows(
                ExecutionException.class,
                () -> client.request("echo/echo", Int32Value.of(7)).get(10, TimeUnit.SECONDS)));
    Status remoteOnTheWire =
        WireStatus.fromResponse(
            toServer
                .call(
                    header(network + ":echo/echo", "google.protobuf.Int32Value"),
                    Payload.of(Int32Value.of(7)))
                .get(10, TimeUnit.SECONDS));
    assertEquals(Status.Code.INVALID_ARGUMENT, local.code(), local::toString);
    assertEquals(local.code(), remoteByNode.code());
    assertEquals(local.description(), remoteByNode.description());
    assertEquals(local.code(), remoteOnTheWire.code());
    assertEquals(local.description(), remoteOnTheWire.description());
  }

  @Test
  void anOversizedEventFailsOnlyItsPublish() throws Exception {
    Node publisher = start("publisher", 64 * 1024);
    Node subscriber = start("subscriber", 64 * 1024);
    LinkedBlockingQueue<Integer> received = new LinkedBlockingQueue<>();
    subscriber.subscribe(
        "sizes/>", event -> received.add(event.payload(BytesValue.class).getValue().size()));
    connectionTo(publisher, "subscriber");
    eventually(
        () -> {
          publisher.publish("sizes/probe", BytesValue.of(ByteString.copyFrom(new byte[1])));
          return received.poll(50, TimeUnit.MILLISECONDS) != null;
        });
    received.clear();

    StatusException refused =
        assertThrows(
            StatusException.class,
            () ->
                publisher.publish(
                    "sizes/big", BytesValue.of(ByteString.copyFrom(new byte[100 * 1024]))));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.code());
    publisher.publish("sizes/small", BytesValue.of(ByteString.copyFrom(new byte[10])));
    assertEquals(10, received.poll(10, TimeUnit.SECONDS));
    assertTrue(connectionTo(publisher, "subscriber").isOpen());
  }

  @Test
  void anIncomingEventOverTheReceiversLimitIsDroppedNotFatal() throws Exception {
    Node sender = start("sender", 1 << 20);
    Node receiver = start("receiver", 64 * 1024);
    LinkedBlockingQueue<Integer> received = new LinkedBlockingQueue<>();
    receiver.subscribe(
        "sizes/>", event -> received.add(event.payload(BytesValue.class).getValue().size()));
    PeerConnection toReceiver = connectionTo(sender, "receiver");
    eventually(
        () -> {
          sender.publish("sizes/probe", BytesValue.of(ByteString.copyFrom(new byte[1])));
          return received.poll(50, TimeUnit.MILLISECONDS) != null;
        });
    received.clear();

    sender.publish(
        "sizes/big", BytesValue.of(ByteString.copyFrom(new byte[200 * 1024]))); // fits the sender
    sender.publish("sizes/small", BytesValue.of(ByteString.copyFrom(new byte[10])));
    assertEquals(10, received.poll(10, TimeUnit.SECONDS), "the event after the dropped one");
    assertTrue(toReceiver.isOpen());
    receiver.addService(TestServices.echo("echo"));
    eventually(
        () ->
            sender
                .request("echo/echo", str("after"))
                .handle((r, e) -> e == null)
                .get(5, TimeUnit.SECONDS));
  }

  @Test
  void aHelloAdvertisingAMalformedPathIsRefusedWithAClearStatus() throws Exception {
    Node node = start("honest", 1 << 20);
    NodeInfo forged =
        NodeInfo.newBuilder()
            .setNodeId("forger")
            .setNetworkId(network)
            .setProtocolVersion(2)
            .setCapabilityVersion(1)
            .addServices(
                ServiceCapability.newBuilder()
                    .setPath(network + ":svc")
                    .addActions(
                        ActionCapability.newBuilder()
                            .setPath(network + ":svc//bad")
                            .setType(MethodType.UNARY)))
            .build();
    QuicTransport forger =
        new QuicTransport(QuicTransportConfig.builder().security(Security.development()).build());
    forger.start(new SilentPeer(forged), Runnable::run);
    try {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  forger
                      .connect(node.config().transport().orElseThrow().localAddress())
                      .get(10, TimeUnit.SECONDS));
      Status status = Status.fromThrowable(e);
      assertEquals(Status.Code.INVALID_ARGUMENT, status.code(), status::toString);
      assertTrue(status.description().contains("svc//bad"), status::toString);
    } finally {
      forger.close();
    }
    assertTrue(
        node.peers().get("forger").isEmpty()
            || node.peers().get("forger").get().state() != PeerState.CONNECTED);
  }
}
