package dev.runar;

import static dev.runar.TestServices.assertFailsWith;
import static dev.runar.TestServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Strings;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.ByteString;
import com.google.protobuf.StringValue;
import dev.runar.network.Payload;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.Request;
import dev.runar.wire.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compression, per call and negotiated: gzip round-trips over QUIC between nodes that accept it, a
 * node that does not accept gzip gets its requests uncompressed, a local call is never compressed,
 * and the codec refuses what it must (an encoding not accepted, a payload that expands too far).
 */
@Timeout(60)
class CompressionTest {
  private static final MethodDescriptor<StringValue, StringValue> ECHO =
      TestServices.method("zip", "echo");
  private static final StringValue BIG = StringValue.of(Strings.repeat("compressible ", 20_000));
  private static final CallOptions GZIP = CallOptions.DEFAULT.withCompression("gzip");

  private final QuicNodes quic = new QuicNodes();

  /** The encoding each request arrived in ("none" for plain), in order. */
  private final List<String> encodings = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    quic.close();
  }

  private ServiceDefinition recordingEcho() {
    return ServiceDefinition.builder("zip")
        .unary(
            ECHO,
            (request, context) -> {
              encodings.add(context.metadata().getOrDefault(Compression.ENCODING_KEY, "none"));
              return CompletableFuture.completedFuture(request);
            })
        .build();
  }

  @Test
  void gzipRoundTripsBetweenNodesThatAcceptIt() throws Exception {
    quic.start("server").addService(recordingEcho());
    Node caller = quic.start("caller");
    QuicNodes.awaitProvider(caller, "server", "zip");

    assertEquals(BIG, await(caller.call(ECHO, BIG, GZIP)));
    assertEquals(BIG, await(caller.call(ECHO, BIG, CallOptions.DEFAULT)));
    assertEquals(List.of("gzip", "none"), encodings, "compressed only when the call asks");
  }

  /**
   * The callee routes a request with the time its caller left it, then decodes it: a handler run
   * inline never starts a request whose deadline passed while it was decompressed.
   */
  @Test
  void aRequestWhoseDeadlinePassesWhileItIsDecompressedNeverReachesAnInlineHandler()
      throws Exception {
    quic.start("server", b -> b.directExecution(true)).addService(recordingEcho());
    Node caller = quic.start("caller");
    QuicNodes.awaitProvider(caller, "server", "zip");

    // No interceptor: the caller routes and tells the time left from one clock reading, so the
    // callee hears of 1 µs left, which decompressing 260 KB outlasts.
    assertFailsWith(
        Status.Code.DEADLINE_EXCEEDED,
        caller.call(ECHO, BIG, GZIP.withTimeout(Duration.ofNanos(1_000))));
    assertEquals(BIG, await(caller.call(ECHO, BIG, GZIP)));
    assertEquals(List.of("gzip"), encodings, "only the second call reached the handler");
  }

  @Test
  void aNodeThatDoesNotAcceptGzipGetsUncompressedRequests() throws Exception {
    quic.start("plain", b -> b.acceptedEncodings()).addService(recordingEcho());
    Node caller = quic.start("caller");
    QuicNodes.awaitProvider(caller, "plain", "zip");

    assertEquals(BIG, await(caller.call(ECHO, BIG, GZIP)));
    assertEquals(List.of("none"), encodings);
  }

  @Test
  void aLocalCallIsNeverCompressed() throws Exception {
    Node node = Node.create(NodeConfig.builder().build()).start();
    try {
      node.addService(recordingEcho());
      assertEquals(BIG, await(node.call(ECHO, BIG, GZIP)));
      assertEquals(List.of("none"), encodings);
    } finally {
      node.stop();
    }
  }

  @Test
  void theCodecNegotiatesBothWaysAndRefusesWhatItMust() {
    Request plain = Request.newBuilder().setResponseEncoding("gzip").build();
    NodeInfo accepting = NodeInfo.newBuilder().addAcceptEncodings("gzip").build();

    Compression.Outgoing outgoing = Compression.forPeer(plain, Payload.of(BIG), accepting);
    Request sent =
        outgoing.header().toBuilder().setPayload(outgoing.payload().toByteString()).build();
    assertEquals("gzip", sent.getPayloadEncoding());
    assertTrue(sent.getPayload().size() < BIG.getSerializedSize() / 50, "compressed");
    Compression.Outgoing notAccepted =
        Compression.forPeer(plain, Payload.of(BIG), NodeInfo.getDefaultInstance());
    assertEquals(plain, notAccepted.header(), "not accepted");
    assertEquals(BIG.toByteString(), notAccepted.payload().toByteString());

    Compression gzipNode = new Compression(ImmutableSet.of("gzip"), 1 << 20);
    assertEquals(BIG.toByteString(), gzipNode.requestPayload(sent));
    Response reply = gzipNode.reply(sent, Response.getDefaultInstance(), BIG).toResponse();
    assertEquals("gzip", reply.getPayloadEncoding());
    assertEquals(BIG.toByteString(), gzipNode.replyPayload(reply));

    Compression plainNode = new Compression(ImmutableSet.of(), 1 << 20);
    StatusException refused =
        assertThrows(StatusException.class, () -> plainNode.requestPayload(sent));
    assertEquals(Status.Code.UNIMPLEMENTED, refused.status().code());
    assertEquals(
        "",
        plainNode.reply(sent, Response.getDefaultInstance(), BIG).header().getPayloadEncoding());

    Compression small = new Compression(ImmutableSet.of("gzip"), 1000);
    assertEquals(
        Status.Code.RESOURCE_EXHAUSTED,
        assertThrows(StatusException.class, () -> small.requestPayload(sent)).status().code());
    Request corrupt = sent.toBuilder().setPayload(ByteString.copyFromUtf8("not gzip")).build();
    assertEquals(
        Status.Code.INTERNAL,
        assertThrows(StatusException.class, () -> gzipNode.requestPayload(corrupt))
            .status()
            .code());
  }
}
