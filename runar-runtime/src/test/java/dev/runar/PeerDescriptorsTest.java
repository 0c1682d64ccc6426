package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.StringValue;
import dev.runar.discovery.MemoryDiscovery;
import dev.runar.examples.chat.RoomRunar;
import dev.runar.network.Peers;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Node#peerDescriptors} (a peer's proto descriptors) and {@link Node#callPeer} (a call to
 * one peer only), over real QUIC on 127.0.0.1.
 */
class PeerDescriptorsTest {
  private final MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
  private final String network = "descriptors-" + UUID.randomUUID().toString().substring(0, 8);
  private final Node server = node("descriptor-server").start();
  private final Node client = node("descriptor-client").start();

  @AfterEach
  void stop() {
    client.stop();
    server.stop();
  }

  private Node node(String id) {
    return Node.create(
        NodeConfig.builder()
            .nodeId(id)
            .networkId(network)
            .shutdownGracePeriod(Duration.ofMillis(300))
            .transport(
                new QuicTransport(
                    QuicTransportConfig.builder()
                        .security(Security.development())
                        .shutdownGracePeriod(Duration.ofMillis(300))
                        .build()))
            .discovery(discovery.discovery())
            .build());
  }

  @Test
  void aConnectedPeerGivesTheFilesOfItsServicesAndAnUnknownOneIsNotFound() throws Exception {
    server.addService(new RoomRunar.RoomImplBase() {});
    TestServices.eventually(
        () ->
            client
                .peers()
                .get("descriptor-server")
                .map(p -> p.state() == Peers.PeerState.CONNECTED)
                .orElse(false));
    // Both nodes may dial at once: until they settle on one connection, the one a call would take
    // can be closing, and the call fails with NOT_FOUND. Then it answers.
    AtomicReference<FileDescriptorSet> answer = new AtomicReference<>();
    TestServices.eventually(
        () -> {
          try {
            answer.set(
                TestServices.await(
                    client.peerDescriptors(
                        "descriptor-server",
                        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)))));
            return true;
          } catch (ExecutionException e) {
            return false;
          }
        });
    FileDescriptorSet set = answer.get();
    List<String> names = set.getFileList().stream().map(FileDescriptorProto::getName).toList();
    String roomFile = RoomRunar.getServiceDescriptor().getFile().getName();
    assertTrue(names.contains(roomFile), names.toString());
    // Imports come first, so a reader can build each file from those before it.
    assertTrue(
        names.indexOf("helloworld/greeter.proto") < names.indexOf(roomFile), names.toString());
    assertEquals("Room", set.getFile(names.indexOf(roomFile)).getService(0).getName());

    TestServices.assertFailsWith(
        Status.Code.NOT_FOUND, client.peerDescriptors("nobody", CallOptions.DEFAULT));
  }

  @Test
  void aPinnedCallReachesThatPeerOnlyWithItsMetadata() throws Exception {
    Node other = node("descriptor-other").start();
    try {
      for (Node n : List.of(server, other)) {
        String id = n.nodeId();
        n.addService(
            TestServices.service(
                "who",
                "am-i",
                (req, ctx) ->
                    CompletableFuture.completedFuture(
                        TestServices.str(id + " " + ctx.metadata().getOrDefault("k", "-")))));
      }
      for (String peer : List.of("descriptor-server", "descriptor-other")) {
        AtomicReference<StringValue> answer = new AtomicReference<>();
        TestServices.eventually(
            () -> {
              try {
                answer.set(
                    TestServices.await(
                        client.callPeer(
                            peer,
                            TestServices.method("who", "am-i"),
                            TestServices.str("?"),
                            CallOptions.DEFAULT
                                .withTimeout(Duration.ofSeconds(5))
                                .withMetadata("k", "v"))));
                return true;
              } catch (ExecutionException e) {
                return false;
              }
            });
        assertEquals(peer + " v", answer.get().getValue());
      }
      TestServices.assertFailsWith(
          Status.Code.NOT_FOUND,
          client.callPeer(
              "nobody",
              TestServices.method("who", "am-i"),
              TestServices.str("?"),
              CallOptions.DEFAULT));
    } finally {
      other.stop();
    }
  }
}
