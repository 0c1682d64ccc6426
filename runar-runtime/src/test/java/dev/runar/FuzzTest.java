package dev.runar;

import static dev.runar.TestServices.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runar.discovery.MulticastDiscovery;
import dev.runar.network.PeerConnection;
import dev.runar.network.Peers.PeerState;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.network.quic.RawStreams;
import dev.runar.security.Security;
import dev.runar.wire.Announce;
import dev.runar.wire.DiscoveryPacket;
import dev.runar.wire.Frame;
import dev.runar.wire.MethodType;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded, bounded fuzzing of everything a stranger or a misbehaving peer can reach: random and
 * mutated datagrams at the QUIC port and at the discovery group, and random and mutated frames on
 * an authenticated connection's streams, while a legitimate client keeps calling. The legitimate
 * calls must all succeed. Reproduce a run with {@code -Drunar.fuzz.seed=N}; the seed is printed.
 */
@Timeout(90)
class FuzzTest {
  private static final long SEED = Long.getLong("runar.fuzz.seed", System.nanoTime());

  private final String network = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
  private final String group =
      "239.255."
          + ThreadLocalRandom.current().nextInt(1, 255)
          + "."
          + ThreadLocalRandom.current().nextInt(1, 255);
  private final int discoveryPort = ThreadLocalRandom.current().nextInt(20_000, 60_000);
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(Node::stop);
  }

  private Node start(String id) {
    Node node =
        Node.create(
            NodeConfig.builder()
                .nodeId(id)
                .networkId(network)
                .transport(
                    new QuicTransport(
                        QuicTransportConfig.builder().security(Security.development()).build()))
                .discovery(
                    MulticastDiscovery.create(
                        MulticastDiscovery.Config.builder()
                            .group(group)
                            .port(discoveryPort)
                            .build()))
                .build());
    nodes.add(node);
    return node.start();
  }

  @Test
  void aLegitimateClientKeepsCallingWhileEverythingReachableIsFuzzed() throws Exception {
    System.out.println("fuzz seed: " + SEED + " (-Drunar.fuzz.seed=" + SEED + " to replay)");
    Random random = new Random(SEED);
    Node server = start("server");
    server.addService(TestServices.echo("work"));
    Node client = start("client");
    eventually(
        () ->
            client.peers().get("server").map(p -> p.state() == PeerState.CONNECTED).orElse(false));
    eventually(
        () ->
            client
                .request("work/echo", TestServices.str("up"))
                .handle((r, e) -> e == null)
                .get(5, TimeUnit.SECONDS));
    InetSocketAddress quicPort = server.config().transport().orElseThrow().localAddress();

    try (CallLoad load = new CallLoad(client, "work/echo", 16, Duration.ofSeconds(5)).start()) {
      fuzzQuicPort(random, quicPort, 5_000);
      fuzzDiscovery(random, 3_000);
      int streams = fuzzFrames(random, quicPort, 3_000);
      long before = load.successes();
      assertTrue(
          load.awaitSuccessAfter(before + 100, Duration.ofSeconds(10)) != null, load::toString);
      assertTrue(load.stop(Duration.ofSeconds(2)), () -> "calls hung: " + load);
      System.out.printf(
          "fuzzed: 5,000 QUIC datagrams, 3,000 discovery datagrams, %d streams; %s%n",
          streams, load);
      assertEquals(
          0,
          load.failures(),
          () -> "legitimate calls failed while fuzzing (seed " + SEED + "): " + load);
    }
    assertTrue(server.isRunning());
    assertEquals(PeerState.CONNECTED, client.peers().get("server").orElseThrow().state());
  }

  /** Random bytes and QUIC-shaped packets (long and short headers, random ids) at the QUIC port. */
  private static void fuzzQuicPort(Random random, InetSocketAddress target, int count)
      throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      for (int i = 0; i < count; i++) {
        byte[] datagram = new byte[1 + random.nextInt(1_400)];
        random.nextBytes(datagram);
        switch (i % 3) {
          case 0 -> { // a long header, QUIC v1, often an Initial-sized one
            datagram = i % 2 == 0 ? new byte[1_200 + random.nextInt(200)] : datagram;
            random.nextBytes(datagram);
            datagram[0] = (byte) (0xC0 | (datagram[0] & 0x3F));
            if (datagram.length > 5) {
              datagram[1] = 0;
              datagram[2] = 0;
              datagram[3] = 0;
              datagram[4] = 1;
            }
          }
          case 1 -> datagram[0] = (byte) (0x40 | (datagram[0] & 0x3F)); // a short header
          default -> {} // anything at all
        }
        socket.send(new DatagramPacket(datagram, datagram.length, target));
        if (i % 200 == 199) {
          Thread.sleep(20);
        }
      }
    }
  }

  /** Random bytes, bytes after the right magic, and valid discovery packets with bytes flipped. */
  private void fuzzDiscovery(Random random, int count) throws Exception {
    byte[] magic = "RNR1".getBytes(StandardCharsets.US_ASCII);
    byte[] valid =
        DiscoveryPacket.newBuilder()
            .setAnnounce(
                Announce.newBuilder()
                    .setNodeId("fuzzed")
                    .setNetworkId(network)
                    .addAddresses("127.0.0.1:9")
                    .setCapabilityVersion(3)
                    .setInstanceId(5))
            .build()
            .toByteArray();
    try (MulticastSocket socket = new MulticastSocket(0)) {
      socket.setNetworkInterface(
          NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()));
      InetSocketAddress target = new InetSocketAddress(group, discoveryPort);
      for (int i = 0; i < count; i++) {
        byte[] body;
        if (i % 3 == 0) {
          body = new byte[random.nextInt(1_500)];
          random.nextBytes(body);
        } else {
          body = valid.clone();
          for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
            body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        byte[] datagram = new byte[(i % 3 == 0 ? 0 : magic.length) + body.length];
        if (i % 3 != 0) {
          System.arraycopy(magic, 0, datagram, 0, magic.length);
        }
        System.arraycopy(body, 0, datagram, datagram.length - body.length, body.length);
        socket.send(new DatagramPacket(datagram, datagram.length, target));
        if (i % 100 == 99) {
          Thread.sleep(20);
        }
      }
    }
  }

  /**
   * An authenticated (development-mode) peer that opens streams and writes random bytes,
   * length-prefixed random frames and valid requests with bytes flipped, then finishes or resets
   * them. Its own connection may be closed for a protocol error; it then reconnects.
   */
  private int fuzzFrames(Random random, InetSocketAddress target, int count) throws Exception {
    NodeInfo info =
        NodeInfo.newBuilder()
            .setNodeId("fuzzer")
            .setNetworkId(network)
            .setProtocolVersion(2)
            .setCapabilityVersion(1)
            .build();
    QuicTransport fuzzer =
        new QuicTransport(QuicTransportConfig.builder().security(Security.development()).build());
    fuzzer.start(new SilentPeer(info), Runnable::run);
    byte[] validRequest =
        Frame.newBuilder()
            .setRequest(
                Request.newBuilder()
                    .setPath(network + ":work/echo")
                    .setTimeoutMicros(1_000_000)
                    .setTypeName("google.protobuf.StringValue")
                    .setType(MethodType.UNARY)
                    .setPayload(TestServices.str("fuzz").toByteString()))
            .build()
            .toByteArray();
    int opened = 0;
    try {
      PeerConnection connection = null;
      List<CompletableFuture<Void>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (connection == null || !connection.isOpen()) {
          connection = fuzzer.connect(target).get(10, TimeUnit.SECONDS);
        }
        byte[] bytes;
        switch (i % 4) {
          case 0 -> {
            bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
          }
          case 1 -> { // a plausible length prefix, random contents
            byte[] body = new byte[random.nextInt(200)];
            random.nextBytes(body);
            bytes = RawStreams.framed(body);
          }
          default -> { // a valid request with some bits flipped, or its length cut
            byte[] body = validRequest.clone();
            for (int flips = random.nextInt(4); flips > 0; flips--) {
              body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
            }
            bytes = RawStreams.framed(body);
            if (random.nextInt(4) == 0) {
              bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
          }
        }
        pending.add(RawStreams.send(connection, bytes, random.nextInt(5) == 0));
        opened++;
        if (pending.size() >= 100) {
          CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
              .handle((v, e) -> null)
              .get(20, TimeUnit.SECONDS);
          pending.clear();
        }
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .handle((v, e) -> null)
          .get(20, TimeUnit.SECONDS);
    } finally {
      fuzzer.close();
    }
    return opened;
  }
}
