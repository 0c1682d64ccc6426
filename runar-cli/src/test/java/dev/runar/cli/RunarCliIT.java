package dev.runar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.runar.cli.testing.EchoReply;
import dev.runar.cli.testing.NowReply;
import dev.runar.discovery.etcd.EtcdServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code runar} command against a network of three nodes in three other JVMs (alpha:
 * echo and clock; beta: echo; gamma: echo, and publishes a tick every 100 ms), with mutual TLS,
 * found by multicast on a group of the test's own.
 */
class RunarCliIT {
  @TempDir static Path certificates;
  private static TestNetwork network;
  private static String betaAddress;

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new TestNetwork(certificates);
    network.start("alpha", "echo,clock", false);
    betaAddress = network.start("beta", "echo", false);
    network.start("gamma", "echo", true);
  }

  @AfterAll
  static void stopNetwork() throws Exception {
    if (network != null) {
      network.close();
    }
  }

  private static Runar.Result runar(String... args) throws Exception {
    return runarWithInput("", args);
  }

  private static Runar.Result runarWithInput(String stdin, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args[0]));
    all.addAll(network.joinOptions());
    all.addAll(List.of(args).subList(1, args.length));
    return Runar.run(all, stdin);
  }

  private static Struct struct(String json) throws Exception {
    Struct.Builder s = Struct.newBuilder();
    JsonFormat.parser().merge(json, s);
    return s.build();
  }

  private static <T extends Message.Builder> T parse(String json, T builder) throws Exception {
    JsonFormat.parser().merge(json, builder);
    return builder;
  }

  @Test
  void nodesListsTheThreeNodesWithStateRoundTripAndServices() throws Exception {
    Runar.Result r = runar("nodes", "--json");
    assertEquals(0, r.exitCode(), r::toString);
    Map<String, Struct> nodes = new TreeMap<>();
    for (String line : r.lines()) {
      Struct node = struct(line);
      nodes.put(node.getFieldsOrThrow("node").getStringValue(), node);
    }
    assertEquals(Set.of("alpha", "beta", "gamma"), nodes.keySet(), r::toString);
    nodes.forEach(
        (id, node) -> {
          assertEquals("CONNECTED", node.getFieldsOrThrow("state").getStringValue(), id);
          double rtt = node.getFieldsOrThrow("rttMillis").getNumberValue();
          assertTrue(rtt > 0 && rtt < 2_000, id + " rtt " + rtt);
          ListValue addresses = node.getFieldsOrThrow("addresses").getListValue();
          assertTrue(addresses.getValues(0).getStringValue().startsWith("127.0.0.1:"), id);
        });
    assertEquals(2, nodes.get("alpha").getFieldsOrThrow("services").getNumberValue());
    assertEquals(1, nodes.get("beta").getFieldsOrThrow("services").getNumberValue());

    Runar.Result table = runar("nodes");
    assertEquals(0, table.exitCode(), table::toString);
    assertTrue(
        table.lines().get(0).matches("NODE +STATE +RTT +SERVICES +ADDRESSES"), table::toString);
    assertTrue(
        table.lines().stream().anyMatch(l -> l.matches("alpha +CONNECTED +[0-9.]+ ms +2 +127.*")),
        table::toString);
  }

  @Test
  void servicesOfTheNetworkAndOfOneNode() throws Exception {
    Runar.Result all = runar("services");
    assertEquals(0, all.exitCode(), all::toString);
    for (String node : List.of("alpha", "beta", "gamma")) {
      assertTrue(
          all.lines().stream()
              .anyMatch(
                  l ->
                      l.matches(
                          node
                              + " +echo +clitest\\.Echo +1\\.2\\.3 +say, count \\(server streaming\\), join"
                              + " \\(client streaming\\), chat \\(bidirectional streaming\\)")),
          all::toString);
    }
    assertTrue(
        all.lines().stream()
            .anyMatch(l -> l.matches("alpha +clock +clitest\\.Clock +0\\.1\\.0 +Now")));

    Runar.Result alpha = runar("services", "alpha", "--json");
    assertEquals(0, alpha.exitCode(), alpha::toString);
    assertEquals(2, alpha.lines().size(), alpha::toString);
    Struct clock = struct(alpha.lines().get(1));
    assertEquals("clock", clock.getFieldsOrThrow("service").getStringValue());
    assertEquals(
        "clock/Now",
        clock.getFieldsOrThrow("actions").getListValue().getValues(0).getStringValue());

    Runar.Result nobody = runar("services", "nobody");
    assertEquals(64 + 5, nobody.exitCode(), nobody::toString);
    assertTrue(nobody.err().contains("NOT_FOUND: no node 'nobody' is connected"), nobody::toString);
  }

  @Test
  void describeShowsAnActionsShapeTypesAndHowToCallIt() throws Exception {
    Runar.Result r = runar("describe", "echo/count");
    assertEquals(0, r.exitCode(), r::toString);
    String out = r.out();
    assertTrue(out.startsWith("echo/count  (server streaming)\n"), out);
    assertTrue(
        out.contains(
            "rpc Count(clitest.EchoRequest) returns (stream clitest.EchoReply) in service"
                + " clitest.Echo"),
        out);
    assertTrue(out.contains("served by: alpha, beta, gamma") || out.contains("served by: "), out);
    assertTrue(out.contains("message clitest.EchoRequest {\n      string text = 1;"), out);
    assertTrue(out.contains("int32 delay_millis = 3;  // JSON: delayMillis"), out);
    assertTrue(out.contains("message clitest.EchoReply {"), out);
    assertTrue(
        out.contains(
            "call:     runar call echo/count '{\"text\":\"\",\"count\":0,\"delayMillis\":0}'"),
        out);

    Runar.Result byProtoName = runar("describe", "clitest.Echo/Join");
    assertEquals(0, byProtoName.exitCode(), byProtoName::toString);
    assertTrue(
        byProtoName.out().startsWith("echo/join  (client streaming)"), byProtoName::toString);

    Runar.Result service = runar("describe", "clock");
    assertEquals(0, service.exitCode(), service::toString);
    assertTrue(service.out().startsWith("service clock (1 actions)"), service::toString);
    assertTrue(service.out().contains("int64 epoch_millis = 1;"), service::toString);
  }

  @Test
  void unaryCallTakesAndPrintsJsonWithMetadata() throws Exception {
    Runar.Result r = runar("call", "echo/say", "{\"text\": \"hi\"}", "-m", "x-tenant=blue");
    assertEquals(0, r.exitCode(), r::toString);
    EchoReply reply = parse(r.out(), EchoReply.newBuilder()).build();
    assertEquals("hi", reply.getText());
    assertEquals("x-tenant=blue", reply.getMetadata());
    assertTrue(r.out().contains("\"metadata\": \"x-tenant=blue\""), r::toString);
    assertTrue(Set.of("alpha", "beta", "gamma").contains(reply.getNodeId()), r::toString);

    Runar.Result clock = runar("call", "clitest.Clock/Now");
    assertEquals(0, clock.exitCode(), clock::toString);
    long now = parse(clock.out(), NowReply.newBuilder()).getEpochMillis();
    assertTrue(Math.abs(now - System.currentTimeMillis()) < 60_000, clock::toString);
  }

  @Test
  void serverStreamPrintsOneJsonReplyPerLine() throws Exception {
    Runar.Result r = runar("call", "echo/count", "{\"text\":\"n\",\"count\":3}");
    assertEquals(0, r.exitCode(), r::toString);
    List<EchoReply> replies = new ArrayList<>();
    for (String line : r.lines()) {
      replies.add(parse(line, EchoReply.newBuilder()).build());
    }
    assertEquals(
        List.of("n 1", "n 2", "n 3"),
        replies.stream().map(EchoReply::getText).collect(Collectors.toList()),
        r::toString);
    assertEquals(
        List.of(1, 2, 3), replies.stream().map(EchoReply::getIndex).collect(Collectors.toList()));
  }

  @Test
  void clientAndBidiStreamsReadJsonLinesFromStandardInput() throws Exception {
    String input = "{\"text\":\"a\"}\n\n{\"text\":\"b\"}\n{\"text\":\"c\"}\n";
    Runar.Result join = runarWithInput(input, "call", "echo/join");
    assertEquals(0, join.exitCode(), join::toString);
    assertEquals("a+b+c", parse(join.out(), EchoReply.newBuilder()).getText());

    Runar.Result chat = runarWithInput(input, "call", "echo/chat");
    assertEquals(0, chat.exitCode(), chat::toString);
    assertEquals(3, chat.lines().size(), chat::toString);
    assertEquals("C", parse(chat.lines().get(2), EchoReply.newBuilder()).getText());

    Runar.Result bad = runarWithInput("{\"text\":\"a\"}\n{\"txt\":1}\n", "call", "echo/chat");
    assertEquals(64 + 3, bad.exitCode(), bad::toString);
    assertTrue(
        bad.err().contains("INVALID_ARGUMENT: standard input line 2 is not a JSON"), bad::toString);
  }

  @Test
  void tailPrintsTypedEventsPublishedByAnotherNode() throws Exception {
    Runar.Result r = runar("tail", "ticks/>", "--count", "3", "--for", "30s");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(3, r.lines().size(), r::toString);
    long previous = 0;
    for (String line : r.lines()) {
      Struct event = struct(line);
      assertEquals("ticks/tock", event.getFieldsOrThrow("topic").getStringValue(), line);
      assertEquals("clitest.Tick", event.getFieldsOrThrow("type").getStringValue(), line);
      Struct payload = event.getFieldsOrThrow("payload").getStructValue();
      assertEquals("gamma", payload.getFieldsOrThrow("nodeId").getStringValue(), line);
      // int64 is a JSON string in protobuf's mapping
      long sequence = Long.parseLong(payload.getFieldsOrThrow("sequence").getStringValue());
      assertTrue(sequence > previous, line);
      previous = sequence;
    }
    assertTrue(r.err().contains("following 'ticks/>'"), r::toString);
  }

  @Test
  void publishReachesTheSubscribedNodes() throws Exception {
    Runar.Result r = runar("publish", "notes/new", "{\"text\":\"hello\",\"tags\":[\"x\",\"y\"]}");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.err().contains("published a clitest.Note on notes/new to "), r::toString);
    for (String node : List.of("alpha", "beta", "gamma")) {
      String line =
          network.awaitLine(node, l -> l.contains("\"text\":\"hello\""), Duration.ofSeconds(20));
      assertNotNull(line, node + " did not receive the note");
      assertEquals("note notes/new {\"text\":\"hello\",\"tags\":[\"x\",\"y\"]}", line);
    }
  }

  @Test
  void notFoundIsAClearNonZeroExit() throws Exception {
    Runar.Result r = runar("call", "echo/nope", "{}", "--wait", "1s");
    assertEquals(64 + 5, r.exitCode(), r::toString);
    assertEquals("", r.out());
    assertTrue(
        r.err().contains("NOT_FOUND: no node of network '" + network.networkId), r::toString);
    assertTrue(
        r.err().contains("serves 'echo/nope' (service echo has: echo/say, echo/count"),
        r::toString);
  }

  @Test
  void aBadJsonFieldIsAClearNonZeroExit() throws Exception {
    Runar.Result r = runar("call", "echo/say", "{\"txt\": \"x\"}");
    assertEquals(64 + 3, r.exitCode(), r::toString);
    assertEquals("", r.out());
    assertTrue(
        r.err().contains("INVALID_ARGUMENT: the request is not a JSON clitest.EchoRequest"),
        r::toString);
    assertTrue(r.err().contains("txt"), r::toString);
    assertTrue(r.err().contains("text (string), count (int32), delayMillis (int32)"), r::toString);
  }

  @Test
  void aDeadlineIsAClearNonZeroExit() throws Exception {
    Runar.Result r =
        runar("call", "echo/say", "{\"text\":\"slow\",\"delayMillis\":5000}", "--timeout", "300ms");
    assertEquals(64 + 4, r.exitCode(), r::toString);
    assertTrue(r.err().contains("DEADLINE_EXCEEDED"), r::toString);
  }

  @Test
  void aHandlersStatusIsTheExitCode() throws Exception {
    Runar.Result r = runar("call", "echo/say", "{\"text\":\"fail\"}");
    assertEquals(64 + 9, r.exitCode(), r::toString);
    assertTrue(r.err().contains("FAILED_PRECONDITION: asked to fail"), r::toString);
  }

  @Test
  void staticSeedsInsteadOfMulticast() throws Exception {
    List<String> args =
        List.of(
            "nodes",
            "--json",
            "--network",
            network.networkId,
            "--seed",
            betaAddress,
            "--ca",
            certificates.resolve("ca.crt").toString(),
            "--cert",
            certificates.resolve("cli.crt").toString(),
            "--key",
            certificates.resolve("cli.key").toString());
    Runar.Result r = Runar.run(args, "");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(1, r.lines().size(), r::toString);
    Struct beta = struct(r.lines().get(0));
    assertEquals("beta", beta.getFieldsOrThrow("node").getStringValue());
    assertEquals("CONNECTED", beta.getFieldsOrThrow("state").getStringValue());
  }

  @Test
  void withoutSecurityOptionsItExplainsWhatToGive() throws Exception {
    Runar.Result r = Runar.run(List.of("nodes", "--network", "nowhere"), "");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("--ca ca.crt --cert me.crt --key me.key"), r::toString);
    assertTrue(r.err().contains("use --dev"), r::toString);

    Runar.Result help = Runar.run(List.of("--help"), "");
    assertEquals(0, help.exitCode(), help::toString);
    for (String command : List.of("nodes", "services", "describe", "call", "tail", "publish")) {
      assertTrue(help.out().contains("  " + command + " "), help::toString);
    }

    Runar.Result badDuration = Runar.run(List.of("call", "echo/say", "--timeout", "5x"), "");
    assertEquals(2, badDuration.exitCode(), badDuration::toString);
    assertTrue(badDuration.err().contains("'5x' is not a duration"), badDuration::toString);
  }

  @Test
  void developmentModeJoinsADevelopmentNetwork() throws Exception {
    String devNetwork = network.networkId + "-dev";
    network.startDevelopment("delta", devNetwork, "clock");
    List<String> args =
        List.of(
            "call",
            "clock/Now",
            "--dev",
            "--network",
            devNetwork,
            "--multicast",
            network.group + ":" + network.port);
    Runar.Result r = Runar.run(args, "");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(parse(r.out(), NowReply.newBuilder()).getEpochMillis() > 0, r::toString);
  }

  @Test
  void etcdDiscoveryInsteadOfMulticast() throws Exception {
    try (EtcdServer etcd = EtcdServer.start()) {
      String etcdNetwork = network.networkId + "-etcd";
      String endpoint = etcd.clientUrl().toString();
      network.startWithEtcd("epsilon", etcdNetwork, endpoint, "clock");
      List<String> args =
          List.of("services", "--json", "--dev", "--network", etcdNetwork, "--etcd", endpoint);
      Runar.Result r = Runar.run(args, "");
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals(1, r.lines().size(), r::toString);
      Struct clock = struct(r.lines().get(0));
      assertEquals("epsilon", clock.getFieldsOrThrow("node").getStringValue());
      assertEquals("clock", clock.getFieldsOrThrow("service").getStringValue());
      network.stop("epsilon"); // while etcd still runs: it leaves cleanly
    }
  }

  @Test
  void developmentModeFindsNoCertificateNodeAndSaysSo() throws Exception {
    // --dev against a network-CA network: the handshake fails, and the command says what to check.
    List<String> args =
        List.of(
            "nodes",
            "--dev",
            "--wait",
            "2s",
            "--network",
            network.networkId,
            "--multicast",
            network.group + ":" + network.port);
    Runar.Result r = Runar.run(args, "");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.err().contains("connected to none"), r::toString);
  }
}
