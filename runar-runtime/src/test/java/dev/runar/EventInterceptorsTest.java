package dev.runar;

import static dev.runar.TestServices.eventually;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import dev.runar.network.PeerConnection;
import dev.runar.network.TransportStats;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.registry.TopicPath;
import dev.runar.security.Security;
import dev.runar.wire.BinaryMetadataEntry;
import dev.runar.wire.Event;
import dev.runar.wire.MetadataEntry;
import dev.runar.wire.NodeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Event interceptors, extensions and transport figures: what observability builds on. Events carry
 * their publisher's metadata to every subscriber, local and remote; deliveries run through the
 * interceptors; malformed events from a peer are dropped, reported, and nothing else is disturbed.
 */
@Timeout(60)
class EventInterceptorsTest {
  private final QuicNodes quic = new QuicNodes();
  private final List<Node> localNodes = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopAll() {
    quic.close();
    localNodes.forEach(Node::stop);
  }

  private Node local(NodeConfig.Builder config) {
    Node node = Node.create(config.build());
    localNodes.add(node);
    return node.start();
  }

  /** Attaches {@code key=value} to every event it sees published, and records every delivery. */
  private static final class Recording implements EventInterceptor {
    final String name;
    final List<String> seen;

    Recording(String name, List<String> seen) {
      this.name = name;
      this.seen = seen;
    }

    @Override
    public void onPublish(TopicPath topic, Message payload, Metadata.Builder metadata) {
      seen.add(name + " publish " + topic.toString().substring(topic.toString().indexOf(':') + 1));
      metadata.put("by-" + name, "yes");
    }

    @Override
    public void interceptDelivery(EventDelivery delivery) throws Exception {
      seen.add(name + " before " + delivery.subscriptionPattern());
      try {
        delivery.proceed();
        seen.add(name + " after");
      } catch (IllegalStateException e) {
        seen.add(name + " failed " + e.getMessage());
        throw e;
      }
    }

    @Override
    public void onDropped(String topic, String reason) {
      seen.add(name + " dropped " + reason);
    }
  }

  @Test
  void metadataAttachedOnPublishReachesLocalSubscribersThroughTheDeliveryChainInOrder()
      throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    Node node =
        local(
            NodeConfig.builder()
                .eventInterceptor(new Recording("a", seen))
                .eventInterceptor(new Recording("b", seen)));
    BlockingQueue<dev.runar.Event> received = new LinkedBlockingQueue<>();
    node.subscribe(
        "chat/>",
        e -> {
          seen.add("handler");
          received.add(e);
          if (e.payload(StringValue.class).getValue().equals("fail")) {
            throw new IllegalStateException("boom");
          }
        });

    node.publish("chat/room", str("hi"));
    dev.runar.Event event = received.poll(10, TimeUnit.SECONDS);
    assertEquals(Optional.of("yes"), event.metadata().get("by-a"));
    assertEquals(Optional.of("yes"), event.metadata().get("by-b"));
    eventually(() -> seen.contains("a after"));
    assertEquals(
        List.of(
            "a publish chat/room",
            "b publish chat/room",
            "a before default:chat/>",
            "b before default:chat/>",
            "handler",
            "b after",
            "a after"),
        seen);

    seen.clear();
    node.publish("chat/room", str("fail"));
    assertEquals("fail", received.poll(10, TimeUnit.SECONDS).payload(StringValue.class).getValue());
    eventually(() -> seen.contains("a failed boom"));
    assertTrue(seen.contains("b failed boom"), seen.toString());
    // the subscription goes on after its handler failed
    node.publish("chat/room", str("again"));
    assertEquals(
        "again", received.poll(10, TimeUnit.SECONDS).payload(StringValue.class).getValue());
  }

  @Test
  void metadataOverTheLimitFailsThePublishAndNobodyReceivesIt() throws Exception {
    EventInterceptor bloating =
        new EventInterceptor() {
          @Override
          public void onPublish(TopicPath topic, Message payload, Metadata.Builder metadata) {
            metadata.put("big", "x".repeat(600));
          }
        };
    Node node = local(NodeConfig.builder().maxMetadataSize(512).eventInterceptor(bloating));
    BlockingQueue<dev.runar.Event> received = new LinkedBlockingQueue<>();
    node.subscribe("t/>", received::add);
    StatusException e =
        assertThrows(StatusException.class, () -> node.publish("t/x", str("too much")));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code());
    assertTrue(e.status().description().contains("over the limit of 512"), e.getMessage());
    assertNull(received.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void aFailingPublishObserverIsSkippedAndThePublishGoesOn() throws Exception {
    EventInterceptor broken =
        new EventInterceptor() {
          @Override
          public void onPublish(TopicPath topic, Message payload, Metadata.Builder metadata) {
            throw new IllegalStateException("observer bug");
          }
        };
    Node node = local(NodeConfig.builder().eventInterceptor(broken));
    BlockingQueue<dev.runar.Event> received = new LinkedBlockingQueue<>();
    node.subscribe("t/>", received::add);
    node.publish("t/x", str("still"));
    assertEquals(
        "still", received.poll(10, TimeUnit.SECONDS).payload(StringValue.class).getValue());
  }

  @Test
  void thePublishersMetadataTravelsToARemoteSubscriberAndItsInterceptors() throws Exception {
    List<String> publisherSeen = new CopyOnWriteArrayList<>();
    List<String> subscriberSeen = new CopyOnWriteArrayList<>();
    Node publisher =
        quic.start("pub", b -> b.eventInterceptor(new Recording("pub", publisherSeen)));
    Node subscriber =
        quic.start("sub", b -> b.eventInterceptor(new Recording("sub", subscriberSeen)));
    BlockingQueue<dev.runar.Event> received = new LinkedBlockingQueue<>();
    subscriber.subscribe("sensors/>", received::add);
    eventually(
        () -> {
          publisher.publish("sensors/t1", str("21"));
          return received.poll(100, TimeUnit.MILLISECONDS) != null;
        });
    received.clear();
    subscriberSeen.clear();

    publisher.publish("sensors/t1", str("22"));
    dev.runar.Event event = received.poll(10, TimeUnit.SECONDS);
    assertEquals("22", event.payload(StringValue.class).getValue());
    assertEquals(Optional.of("yes"), event.metadata().get("by-pub"));
    assertFalse(event.metadata().containsKey("by-sub"), "the receiver attaches nothing");
    eventually(() -> subscriberSeen.contains("sub after"));
    assertTrue(
        subscriberSeen.contains("sub before " + subscriber.config().networkId() + ":sensors/>"),
        subscriberSeen.toString());
  }

  @Test
  void malformedEventsFromAPeerAreDroppedReportedAndTheNextOneArrives() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    Node node =
        quic.start(
            "target", b -> b.maxMetadataSize(256).eventInterceptor(new Recording("n", seen)));
    BlockingQueue<dev.runar.Event> received = new LinkedBlockingQueue<>();
    node.subscribe("in/>", received::add);
    String network = node.config().networkId();
    QuicTransport peer =
        new QuicTransport(QuicTransportConfig.builder().security(Security.development()).build());
    peer.start(
        new SilentPeer(
            NodeInfo.newBuilder()
                .setNodeId("hand-played")
                .setNetworkId(network)
                .setProtocolVersion(2)
                .setCapabilityVersion(1)
                .build()),
        Runnable::run);
    try {
      PeerConnection connection =
          peer.connect(node.config().transport().orElseThrow().localAddress())
              .get(10, TimeUnit.SECONDS);
      Event valid =
          Event.newBuilder()
              .setTopic(network + ":in/ok")
              .setTypeName("google.protobuf.StringValue")
              .setPayload(str("ok").toByteString())
              .addMetadata(
                  entry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
              .build();
      connection.sendEvent(valid.toBuilder().setTopic("in/>/bad//").build());
      connection.sendEvent(valid.toBuilder().addMetadata(entry("big", "x".repeat(400))).build());
      connection.sendEvent(
          valid.toBuilder().addMetadata(entry("", "a value under an empty key")).build());
      connection.sendEvent(
          valid.toBuilder()
              .addBinaryMetadata(
                  BinaryMetadataEntry.newBuilder()
                      .setKey("not-binary")
                      .setValue(ByteString.copyFromUtf8("b")))
              .build());
      connection.sendEvent(valid);

      dev.runar.Event event = received.poll(10, TimeUnit.SECONDS);
      assertEquals("ok", event.payload(StringValue.class).getValue());
      assertEquals(
          Optional.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
          event.metadata().get("traceparent"));
      assertNull(received.poll(300, TimeUnit.MILLISECONDS), "only the valid event arrives");
      List<String> drops = seen.stream().filter(s -> s.startsWith("n dropped")).toList();
      assertEquals(4, drops.size(), drops.toString());
      assertTrue(drops.get(1).contains("over the limit of 256"), drops.toString());
      assertTrue(connection.isOpen(), "a malformed event is not a protocol error");
    } finally {
      peer.close();
    }
  }

  @Test
  void anExtensionsInterceptorsAreOutermostAndItHearsStartAndStop() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    EventInterceptor extensionEvents = new Recording("ext", seen);
    NodeExtension extension =
        new NodeExtension() {
          @Override
          public List<EventInterceptor> eventInterceptors() {
            return List.of(extensionEvents);
          }

          @Override
          public List<ClientInterceptor> clientInterceptors() {
            return List.of(
                call -> {
                  seen.add("ext client " + call.path());
                  return ClientCallListener.NONE;
                });
          }

          @Override
          public List<ServerInterceptor> serverInterceptors() {
            return List.of(
                call -> {
                  seen.add("ext server");
                  return ServerCallListener.NONE;
                });
          }

          @Override
          public void onStart(Node node) {
            seen.add("start " + node.nodeId());
          }

          @Override
          public void onStop(Node node) {
            seen.add("stop " + node.nodeId() + " running=" + node.isRunning());
          }
        };
    NodeConfig config =
        NodeConfig.builder()
            .nodeId("extended")
            .eventInterceptor(new Recording("own", seen))
            .clientInterceptor(
                call -> {
                  seen.add("own client");
                  return ClientCallListener.NONE;
                })
            .extension(extension)
            .build();
    assertEquals(config.eventInterceptors(), config.toBuilder().build().eventInterceptors());
    assertEquals(2, config.toBuilder().build().clientInterceptors().size(), "no duplicates");
    Node node = Node.create(config);
    localNodes.add(node);
    node.addService(TestServices.echo("echo"));
    node.start();
    assertEquals(List.of("start extended"), seen);

    seen.clear();
    TestServices.await(node.request("echo/echo", str("x")));
    assertEquals(List.of("ext client echo/echo", "own client", "ext server"), seen);

    seen.clear();
    node.subscribe("e/>", e -> {});
    node.publish("e/1", str("x"));
    eventually(() -> seen.contains("ext after"));
    assertEquals("ext publish e/1", seen.get(0));
    assertEquals("own publish e/1", seen.get(1));
    assertEquals("ext before default:e/>", seen.get(2));

    seen.clear();
    node.stop();
    assertEquals(List.of("stop extended running=false"), seen);
  }

  @Test
  void connectedPeersReportTransportFiguresAndOthersReportNone() throws Exception {
    Node a = quic.start("a");
    Node b = quic.start("b");
    b.addService(TestServices.echo("echo"));
    QuicNodes.awaitProvider(a, "b", "echo");
    for (int i = 0; i < 20; i++) {
      TestServices.await(a.request("echo/echo", str("ping " + i)));
    }
    TransportStats stats = a.transportStats("b").get(10, TimeUnit.SECONDS).orElseThrow();
    assertTrue(stats.packetsSent() >= 20, stats.toString());
    assertTrue(stats.packetsReceived() >= 20, stats.toString());
    assertTrue(stats.bytesSent() > stats.packetsSent(), stats.toString());
    assertTrue(stats.congestionWindowBytes() > 0, stats.toString());
    assertTrue(
        stats.rtt().compareTo(Duration.ofNanos(1_000)) > 0
            && stats.rtt().compareTo(Duration.ofSeconds(1)) < 0,
        "a loopback RTT, in nanoseconds: " + stats);

    assertEquals(Optional.empty(), a.transportStats("nobody").get(10, TimeUnit.SECONDS));
    Node alone = local(NodeConfig.builder());
    assertEquals(Optional.empty(), alone.transportStats("a").get(10, TimeUnit.SECONDS));
  }

  private static MetadataEntry entry(String key, String value) {
    return MetadataEntry.newBuilder().setKey(key).setValue(value).build();
  }
}
