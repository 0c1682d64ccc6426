package dev.runar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.protobuf.DynamicMessage;
import dev.runar.MethodDescriptor.MethodType;
import dev.runar.Status;
import dev.runar.cli.testing.EchoRequest;
import dev.runar.network.Peers.Peer;
import dev.runar.network.Peers.PeerState;
import dev.runar.wire.ActionCapability;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.ServiceCapability;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command's parts that need no network: durations, JSON lines, actions, proto text. */
class CliPartsTest {
  private final DurationConverter durations = new DurationConverter();

  @Test
  void durationsAreWrittenAsPeopleWriteThem() {
    assertEquals(Duration.ofMillis(500), durations.convert("500ms"));
    assertEquals(Duration.ofSeconds(2), durations.convert("2s"));
    assertEquals(Duration.ofMinutes(1), durations.convert("1m"));
    assertEquals(Duration.ofHours(3), durations.convert("3H"));
    for (String bad : List.of("5x", "s", "", "-1s", "0ms", "1.5s")) {
      CommandLine.TypeConversionException e =
          assertThrows(CommandLine.TypeConversionException.class, () -> durations.convert(bad));
      assertTrue(e.getMessage().contains("500ms, 2s, 1m or 1h"), e.getMessage());
    }
  }

  @Test
  void aJsonLineKeepsItsOrderAndEscapesStrings() {
    String line =
        new JsonLine()
            .string("node", "a\"b\\c\n")
            .number("rtt", 1.25)
            .number("services", 2)
            .strings("addresses", List.of("127.0.0.1:1", "[::1]:2"))
            .raw("payload", "{\"x\":1}")
            .toString();
    assertEquals(
        "{\"node\":\"a\\\"b\\\\c\\n\",\"rtt\":1.250,\"services\":2,"
            + "\"addresses\":[\"127.0.0.1:1\",\"[::1]:2\"],\"payload\":{\"x\":1}}",
        line);
  }

  @Test
  void actionsComeFromWhatConnectedNodesAdvertise() {
    ImmutableMap<String, Action> actions =
        Action.served(
            List.of(peer("a", "net:echo/say", "net:echo"), peer("b", "net:echo/say", "net:echo")));
    Action say = actions.get("echo/say");
    assertEquals("echo", say.servicePath());
    assertEquals("say", say.actionName());
    assertEquals(MethodType.SERVER_STREAMING, say.type());
    assertEquals("clitest.EchoRequest", say.requestType());
    assertEquals(List.of("a", "b"), say.nodes());
    assertEquals("server streaming", say.shape());

    // A service path of several segments: the action is what follows it.
    Action deep = Action.served(List.of(peer("c", "net:a/b/run", "net:a/b"))).get("a/b/run");
    assertEquals("a/b", deep.servicePath());
    assertEquals("run", deep.actionName());
  }

  @Test
  void messageTypesAreWrittenBackAsProtoText() {
    assertEquals(
        "message clitest.EchoRequest {\n"
            + "  string text = 1;\n"
            + "  int32 count = 2;\n"
            + "  int32 delay_millis = 3;  // JSON: delayMillis\n"
            + "}\n",
        MessageText.withReferences(EchoRequest.getDescriptor(), ""));
    assertEquals(
        "{\"text\":\"\",\"count\":0,\"delayMillis\":0}",
        Json.template(EchoRequest.getDescriptor()));
  }

  @Test
  void htmlEscapesAreWrittenAsThemselvesAndOtherEscapesKept() {
    assertEquals(
        "{\"m\":\"k=v <a> & 'q' \\\\u003d \\\" \\n \\u00e9\"}",
        Json.readable(
            "{\"m\":\"k\\u003dv \\u003ca\\u003e \\u0026 \\u0027q\\u0027 \\\\u003d \\\" \\n"
                + " \\u00e9\"}"));
  }

  @Test
  void aStatusBecomesItsExitCodeAndMessage() {
    CliException e = CliException.status(Status.NOT_FOUND.withDescription("no such thing"));
    assertEquals(69, e.exitCode());
    assertEquals("NOT_FOUND: no such thing", e.getMessage());
    assertEquals(68, CliException.status(Status.DEADLINE_EXCEEDED).exitCode());
    assertEquals("DEADLINE_EXCEEDED", CliException.status(Status.DEADLINE_EXCEEDED).getMessage());
  }

  @Test
  void addressesAreHostAndPortOrAClearFailure() {
    assertEquals(7000, NetworkOptions.address("127.0.0.1:7000", "--seed").getPort());
    assertEquals(9, NetworkOptions.address("[::1]:9", "--seed").getPort());
    for (String bad : List.of("127.0.0.1", ":7000", "127.0.0.1:x", "127.0.0.1:70000")) {
      CliException e =
          assertThrows(CliException.class, () -> NetworkOptions.address(bad, "--seed"));
      assertTrue(
          e.getMessage().startsWith("--seed " + bad + ": expected HOST:PORT"), e.getMessage());
      assertEquals(1, e.exitCode());
    }
  }

  private static Peer peer(String id, String actionPath, String servicePath) {
    NodeInfo info =
        NodeInfo.newBuilder()
            .setNodeId(id)
            .addServices(
                ServiceCapability.newBuilder()
                    .setPath(servicePath)
                    .addActions(
                        ActionCapability.newBuilder()
                            .setPath(actionPath)
                            .setType(dev.runar.wire.MethodType.SERVER_STREAMING)
                            .setRequestType("clitest.EchoRequest")
                            .setResponseType("clitest.EchoReply")))
            .build();
    return new Peer(id, PeerState.CONNECTED, ImmutableList.of(), info, 1);
  }

  @Test
  void requestsAskedForInANonPositiveNumberFailTheSubscriber() throws Exception {
    Json json = new Json(Catalog.of(List.of(EchoRequest.getDescriptor().getFile())), false);
    for (long n : new long[] {0, -1, Long.MIN_VALUE}) {
      RequestPublisher requests =
          new RequestPublisher(
              RequestPublisher.Lines.of(List.of("{}", "{}")),
              EchoRequest.getDescriptor(),
              json,
              "the request",
              false);
      CompletableFuture<Throwable> failed = new CompletableFuture<>();
      List<Object> received = new CopyOnWriteArrayList<>();
      requests.subscribe(
          new Flow.Subscriber<DynamicMessage>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
              s.request(n);
            }

            @Override
            public void onNext(DynamicMessage item) {
              received.add(item);
            }

            @Override
            public void onError(Throwable t) {
              failed.complete(t);
            }

            @Override
            public void onComplete() {
              failed.completeExceptionally(new AssertionError("completed"));
            }
          });
      // Rule 3.9: an IllegalArgumentException, and nothing read (it was not an unbounded ask).
      assertInstanceOf(IllegalArgumentException.class, failed.get(5, TimeUnit.SECONDS), "n=" + n);
      assertEquals(List.of(), received, "n=" + n);
    }
  }
}
