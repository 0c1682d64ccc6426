package dev.runar.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunarGeneratorTest {
  @TempDir Path work;

  @Test
  void declaresProto3OptionalAndEditionsUpTo2023() throws Exception {
    CodeGeneratorResponse response =
        RunarGenerator.generate(TestProtos.request(work, "optional3.proto"));
    assertFalse(response.hasError(), response.getError());
    long features = response.getSupportedFeatures();
    assertTrue((features & CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE) != 0);
    assertTrue((features & CodeGeneratorResponse.Feature.FEATURE_SUPPORTS_EDITIONS_VALUE) != 0);
    assertEquals(Edition.EDITION_PROTO2_VALUE, response.getMinimumEdition());
    assertEquals(Edition.EDITION_2023_VALUE, response.getMaximumEdition());
  }

  @Test
  void outputIsDeterministic() throws Exception {
    CodeGeneratorRequest request =
        TestProtos.request(work, "chat/chat.proto", "edge/keywords.proto");
    assertEquals(RunarGenerator.generate(request), RunarGenerator.generate(request));
  }

  @Test
  void onlyRequestedFilesAreGenerated() throws Exception {
    // chat.proto imports greeter.proto, but only chat.proto is asked for.
    CodeGeneratorResponse response =
        RunarGenerator.generate(TestProtos.request(work, "chat/chat.proto"));
    assertEquals(
        java.util.List.of(
            "dev/runar/examples/chat/RoomRunar.java", "dev/runar/examples/chat/ChatTopics.java"),
        response.getFileList().stream().map(CodeGeneratorResponse.File::getName).toList());
  }

  @Test
  void runarOptionsShapePathsAndTopics() throws Exception {
    String room =
        content(
            RunarGenerator.generate(TestProtos.request(work, "chat/chat.proto")), "RoomRunar.java");
    assertTrue(room.contains("SERVICE_PATH = \"chat/rooms\""), room);
    assertTrue(room.contains("PATH_POST = \"chat/rooms/post\""), room);
    assertTrue(room.contains("PATH_GREET = \"chat/rooms/Greet\""), room);
    assertTrue(room.contains(".version(\"1.2.0\")"), room);
    String topics =
        content(
            RunarGenerator.generate(TestProtos.request(work, "chat/chat.proto")),
            "ChatTopics.java");
    assertTrue(
        topics.contains("Topic<ChatProtos.ChatPosted> CHAT_POSTED = Topic.of(\"chat/posted\""),
        topics);
    assertTrue(topics.contains("CHAT_POSTED_REACTION = Topic.of(\"chat/reactions\""), topics);
  }

  @Test
  void streamingRpcsGetTheirShapeInEveryStubAndTheServerBase() throws Exception {
    String pub =
        content(
            RunarGenerator.generate(TestProtos.request(work, "edge/keywords.proto")),
            "PublicRunar.java");
    assertTrue(
        pub.contains(
            "MethodDescriptor.create(MethodDescriptor.MethodType.SERVER_STREAMING, SERVICE_PATH, \"Watch\""),
        pub);
    assertTrue(
        pub.contains(
            "MethodDescriptor.create(MethodDescriptor.MethodType.CLIENT_STREAMING, SERVICE_PATH, \"Upload\""),
        pub);
    // Server base: direct and async styles.
    assertTrue(
        pub.contains(
            "public void watch(KeywordsOuterClass.Node request, StreamSink<KeywordsOuterClass.Status> responses)"),
        pub);
    assertTrue(
        pub.contains(
            "public Flow.Publisher<KeywordsOuterClass.Status> watchAsync(KeywordsOuterClass.Node request)"),
        pub);
    assertTrue(
        pub.contains(
            "public KeywordsOuterClass.Status upload(BlockingStream<KeywordsOuterClass.Node> requests)"),
        pub);
    // Stubs.
    assertTrue(
        pub.contains(
            "public BlockingStream<KeywordsOuterClass.Status> watch(KeywordsOuterClass.Node request)"),
        pub);
    assertTrue(
        pub.contains(
            "public CompletableFuture<KeywordsOuterClass.Status> upload(Flow.Publisher<KeywordsOuterClass.Node> requests)"),
        pub);
  }

  @Test
  void javaKeywordsAndInheritedNamesAreEscaped() throws Exception {
    String pub =
        content(
            RunarGenerator.generate(TestProtos.request(work, "edge/keywords.proto")),
            "PublicRunar.java");
    assertTrue(pub.contains("public KeywordsOuterClass.Keywords.Inner class_("), pub);
    assertTrue(pub.contains("public KeywordsOuterClass.Status init_("), pub);
    assertTrue(pub.contains("public Timestamp toString_("), pub);
    assertTrue(pub.contains("public KeywordsOuterClass.Node getNode_("), pub);
    assertTrue(pub.contains("fooAsync_("), pub); // Foo's async variant yields to the rpc FooAsync
  }

  @Test
  void anRpcHasOneJavaNameOnTheServerBaseAndBothStubs() throws Exception {
    CodeGeneratorResponse response =
        RunarGenerator.generate(TestProtos.request(work, "edge/clashes.proto"));
    String tpu = content(response, "TpuRunar.java");
    // Cloud TPU's GetNode: escaped on the base too, not only on the stubs.
    assertEquals(3, count(tpu, " getNode_(GetNodeRequest request)"), tpu);
    assertEquals(0, count(tpu, " getNode(GetNodeRequest"), tpu);
    String task = content(response, "TaskRunar.java");
    // containerd's Start: escaped on the stubs too, not only on the base.
    assertEquals(3, count(task, " start_(TaskRequest request)"), task);
    assertEquals(3, count(task, " wait_(TaskRequest request)"), task);
    assertEquals(3, count(task, " startAsync(TaskRequest request)"), task); // the rpc StartAsync
    assertTrue(task.contains("CompletionStage<TaskReply> startAsync_(TaskRequest request)"), task);
    String members = content(response, "MembersRunar.java");
    for (String name : List.of("default_", "hashCode_", "build_", "getServiceDescriptor_")) {
      assertEquals(3, count(members, " " + name + "(TaskRequest request"), name);
    }
    assertTrue(
        members.contains("TaskReply withDeadlineAfter_(BlockingStream<TaskRequest> requests)"),
        members);
    assertTrue(
        members.contains("TaskReply withDeadlineAfter_(Iterable<TaskRequest> requests)"), members);
    assertTrue(
        members.contains(
            "CompletableFuture<TaskReply> withDeadlineAfter_(Flow.Publisher<TaskRequest> requests)"),
        members);
  }

  @Test
  void deprecatedServicesAndRpcsAreDeprecatedInJava() throws Exception {
    CodeGeneratorResponse response =
        RunarGenerator.generate(TestProtos.request(work, "edge/clashes.proto"));
    String task = content(response, "TaskRunar.java");
    // The rpc Stop: direct and async base methods, blocking and future stub methods.
    assertEquals(4, count(task, "@Deprecated"), task);
    assertTrue(task.contains("@Deprecated public TaskReply stop_(TaskRequest request)"), task);
    assertTrue(
        task.contains("@Deprecated public CompletableFuture<TaskReply> stop_(TaskRequest request)"),
        task);
    String members = content(response, "MembersRunar.java");
    assertTrue(members.contains("@Deprecated public final class MembersRunar"), members);
    assertTrue(
        members.contains("@Deprecated public abstract static class MembersImplBase"), members);
    assertTrue(
        members.contains("@Deprecated public static final class MembersBlockingStub"), members);
    assertTrue(
        members.contains("@Deprecated public static final class MembersFutureStub"), members);
    assertTrue(
        members.contains("@Deprecated public static MembersBlockingStub newBlockingStub"), members);
    assertEquals(0, count(content(response, "TpuRunar.java"), "@Deprecated"));
  }

  @Test
  void idempotencyLevelsReachTheMethodDescriptors() throws Exception {
    String tpu =
        content(
            RunarGenerator.generate(TestProtos.request(work, "edge/clashes.proto")),
            "TpuRunar.java");
    assertTrue(
        tpu.contains(
            "\"GetNode\", GetNodeRequest.getDefaultInstance(), TpuNode.getDefaultInstance())"
                + ".withIdempotencyLevel(DescriptorProtos.MethodOptions.IdempotencyLevel.NO_SIDE_EFFECTS);"),
        tpu);
    assertTrue(
        tpu.contains(
            ".withIdempotencyLevel(DescriptorProtos.MethodOptions.IdempotencyLevel.IDEMPOTENT);"),
        tpu);
    String greeter =
        content(
            RunarGenerator.generate(TestProtos.request(work, "helloworld/greeter.proto")),
            "GreeterRunar.java");
    assertFalse(greeter.contains("withIdempotencyLevel"), greeter);
  }

  @Test
  void eachServiceExposesItsProtoDescriptor() throws Exception {
    String greeter =
        content(
            RunarGenerator.generate(TestProtos.request(work, "helloworld/greeter.proto")),
            "GreeterRunar.java");
    assertTrue(
        greeter.contains(
            "public static Descriptors.ServiceDescriptor getServiceDescriptor() {"
                + " return GreeterOuterClass.getDescriptor().findServiceByName(\"Greeter\"); }"),
        greeter);
    assertTrue(greeter.contains(".protoDescriptor(GreeterRunar.getServiceDescriptor())"), greeter);
  }

  @Test
  void aWildcardTopicIsABuildError() throws Exception {
    String error =
        generateError(
            """
        syntax = "proto3";
        import "runar/options.proto";
        message Bad {
          option (runar.event) = { topic: "sensors/>" };
        }
        """);
    assertEquals(
        "bad.proto:4:3: Bad: (runar.event).topic 'sensors/>' is not a valid topic: segment 2 of 2 is the"
            + " wildcard '>': only subscriptions take wildcards; write one or more segments separated by"
            + " '/', e.g. \"greeter/greeted\" or \"sensors/kitchen/temperature\"",
        error);
  }

  @Test
  void aBadServicePathNamesFileLineColumnAndWhatIsWrong() throws Exception {
    String error =
        generateError(
            """
        syntax = "proto3";
        package greeter;
        import "runar/options.proto";
        message M {}
        service Greeter {
          option (runar.service) = { path: "greeter//v1" };
          rpc Hi (M) returns (M);
        }
        """);
    assertEquals(
        "bad.proto:6:3: greeter.Greeter: (runar.service).path 'greeter//v1' is not a valid path:"
            + " segment 2 of 3 is empty (a leading, trailing or doubled '/'); write one or more segments"
            + " separated by '/', e.g. \"greeter\", \"greeter/v1\" or \"rooms/{room}\"",
        error);
  }

  @Test
  void anEmptyTopicIsAnErrorAndEveryErrorIsReported() throws Exception {
    String error =
        generateError(
            """
        syntax = "proto3";
        import "runar/options.proto";
        message M {
          option (runar.event) = { topic: "" };
        }
        service S {
          rpc A (M) returns (M) { option (runar.action).name = "a/{x"; }
        }
        """);
    List<String> lines = error.lines().toList();
    assertEquals(2, lines.size(), error);
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "bad.proto:7:27: S.A: (runar.action).name 'a/{x' is not a valid path:"
                    + " segment 2 of 2 ('{x') has a stray brace"),
        error);
    assertTrue(
        lines
            .get(1)
            .startsWith(
                "bad.proto:4:3: M: (runar.event).topic '' is not a valid topic: it is empty;"),
        error);
  }

  @Test
  void twoRpcsWithOneJavaNameAreAnError() throws Exception {
    String error =
        generateError(
            """
        syntax = "proto3";
        message M {}
        service S {
          rpc GetNode (M) returns (M);
          rpc get_node (M) returns (M);
        }
        """);
    assertEquals(
        "bad.proto:5:3: S.get_node: rpcs GetNode and get_node both become the Java method getNode_():"
            + " rename one (Java names are the rpc name in lower camel case)",
        error);
  }

  /**
   * Compiles {@code source} as bad.proto with the real protoc and returns the generator's error.
   */
  private String generateError(String source) throws Exception {
    Path protos = Files.createDirectories(work.resolve("protos"));
    Files.writeString(protos.resolve("bad.proto"), source);
    Path descriptors = work.resolve("d.pb");
    new Protoc(TestProtos.protoc())
        .compile(
            List.of(protos, TestProtos.importPaths(work).get(1)),
            List.of("bad.proto"),
            null,
            descriptors);
    CodeGeneratorResponse response =
        RunarGenerator.generate(Protoc.request(descriptors, List.of("bad.proto")));
    assertTrue(response.hasError(), "no error");
    assertEquals(0, response.getFileCount());
    return response.getError();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void pluginProtocolRoundTrip() throws Exception {
    CodeGeneratorRequest request = TestProtos.request(work, "helloworld/greeter.proto");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProtocPlugin.run(new ByteArrayInputStream(request.toByteArray()), out);
    assertEquals(
        RunarGenerator.generate(request), CodeGeneratorResponse.parseFrom(out.toByteArray()));
  }

  private static String content(CodeGeneratorResponse response, String fileName) {
    assertFalse(response.hasError(), response.getError());
    return response.getFileList().stream()
        .filter(f -> f.getName().endsWith("/" + fileName))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + fileName + " in " + response.getFileList()))
        .getContent()
        .replaceAll("\\s+", " ")
        .replace("( ", "("); // JavaPoet wraps long lines: compare modulo white space
  }
}
