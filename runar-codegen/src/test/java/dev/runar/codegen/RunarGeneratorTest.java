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
    CodeGeneratorResponse response = RunarGenerator.generate(TestProtos.request(work, "chat/chat.proto"));
    assertEquals(
        java.util.List.of("dev/runar/examples/chat/RoomRunar.java", "dev/runar/examples/chat/ChatTopics.java"),
        response.getFileList().stream().map(CodeGeneratorResponse.File::getName).toList());
  }

  @Test
  void runarOptionsShapePathsAndTopics() throws Exception {
    String room = content(RunarGenerator.generate(TestProtos.request(work, "chat/chat.proto")), "RoomRunar.java");
    assertTrue(room.contains("SERVICE_PATH = \"chat/rooms\""), room);
    assertTrue(room.contains("PATH_POST = \"chat/rooms/post\""), room);
    assertTrue(room.contains("PATH_GREET = \"chat/rooms/Greet\""), room);
    assertTrue(room.contains(".version(\"1.2.0\")"), room);
    String topics = content(RunarGenerator.generate(TestProtos.request(work, "chat/chat.proto")), "ChatTopics.java");
    assertTrue(topics.contains("Topic<ChatProtos.ChatPosted> CHAT_POSTED = Topic.of(\"chat/posted\""), topics);
    assertTrue(topics.contains("CHAT_POSTED_REACTION = Topic.of(\"chat/reactions\""), topics);
  }

  @Test
  void streamingRpcsGetTheirShapeInEveryStubAndTheServerBase() throws Exception {
    String pub = content(RunarGenerator.generate(TestProtos.request(work, "edge/keywords.proto")), "PublicRunar.java");
    assertTrue(pub.contains("MethodDescriptor.create(MethodDescriptor.MethodType.SERVER_STREAMING, SERVICE_PATH, \"Watch\""), pub);
    assertTrue(pub.contains("MethodDescriptor.create(MethodDescriptor.MethodType.CLIENT_STREAMING, SERVICE_PATH, \"Upload\""), pub);
    // Server base: direct and async styles.
    assertTrue(pub.contains("public void watch(KeywordsOuterClass.Node request, StreamSink<KeywordsOuterClass.Status> responses)"), pub);
    assertTrue(pub.contains("public Flow.Publisher<KeywordsOuterClass.Status> watchAsync(KeywordsOuterClass.Node request)"), pub);
    assertTrue(pub.contains("public KeywordsOuterClass.Status upload(BlockingStream<KeywordsOuterClass.Node> requests)"), pub);
    // Stubs.
    assertTrue(pub.contains("public BlockingStream<KeywordsOuterClass.Status> watch(KeywordsOuterClass.Node request)"), pub);
    assertTrue(pub.contains("public CompletableFuture<KeywordsOuterClass.Status> upload(Flow.Publisher<KeywordsOuterClass.Node> requests)"), pub);
  }

  @Test
  void javaKeywordsAndInheritedNamesAreEscaped() throws Exception {
    String pub = content(RunarGenerator.generate(TestProtos.request(work, "edge/keywords.proto")), "PublicRunar.java");
    assertTrue(pub.contains("public KeywordsOuterClass.Keywords.Inner class_("), pub);
    assertTrue(pub.contains("public KeywordsOuterClass.Status init_("), pub);
    assertTrue(pub.contains("public Timestamp toString_("), pub);
    assertTrue(pub.contains("public KeywordsOuterClass.Node getNode_("), pub);
    assertTrue(pub.contains("fooAsync_("), pub); // Foo's async variant yields to the rpc FooAsync
  }

  @Test
  void aWildcardTopicIsABuildError(@TempDir Path protos) throws Exception {
    Files.writeString(
        protos.resolve("bad.proto"),
        """
        syntax = "proto3";
        import "runar/options.proto";
        message Bad {
          option (runar.event) = { topic: "sensors/>" };
        }
        """);
    Path descriptors = work.resolve("d.pb");
    new Protoc(TestProtos.protoc())
        .compile(
            java.util.List.of(protos, TestProtos.importPaths(work).get(1)),
            java.util.List.of("bad.proto"),
            null,
            descriptors);
    CodeGeneratorResponse response =
        RunarGenerator.generate(Protoc.request(descriptors, java.util.List.of("bad.proto")));
    assertTrue(response.hasError());
    assertTrue(response.getError().contains("Bad: (runar.event).topic 'sensors/>'"), response.getError());
    assertEquals(0, response.getFileCount());
  }

  @Test
  void pluginProtocolRoundTrip() throws Exception {
    CodeGeneratorRequest request = TestProtos.request(work, "helloworld/greeter.proto");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProtocPlugin.run(new ByteArrayInputStream(request.toByteArray()), out);
    assertEquals(RunarGenerator.generate(request), CodeGeneratorResponse.parseFrom(out.toByteArray()));
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
