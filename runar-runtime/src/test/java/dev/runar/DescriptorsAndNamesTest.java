package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.runar.examples.chat.ChatProtos.ChatMessage;
import dev.runar.examples.chat.ChatProtos.PostAck;
import dev.runar.examples.chat.RoomRunar;
import dev.runar.examples.clashes.GetNodeRequest;
import dev.runar.examples.clashes.TaskReply;
import dev.runar.examples.clashes.TaskRequest;
import dev.runar.examples.clashes.TaskRunar;
import dev.runar.examples.clashes.TpuNode;
import dev.runar.examples.clashes.TpuRunar;
import dev.runar.examples.helloworld.GreeterRunar;
import dev.runar.registry.proto.ListServicesRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Proto descriptors at run time ({@code getServiceDescriptor()}, {@code
 * $registry/services/descriptors}), proto options (idempotency), grpc-java's deadline names, and
 * generated names that had to be escaped, called for real.
 */
class DescriptorsAndNamesTest {
  private final Node node = TestServices.startedNode();

  @AfterEach
  void stop() {
    node.stop();
  }

  /** Cloud TPU's GetNode and containerd's Start: one escaped Java name on base and stubs. */
  static final class Tpu extends TpuRunar.TpuImplBase {
    @Override
    public TpuNode getNode_(GetNodeRequest request) {
      return TpuNode.newBuilder().setName("node " + request.getName()).build();
    }
  }

  static final class Task extends TaskRunar.TaskImplBase {
    @Override
    public TaskReply start_(TaskRequest request) {
      return TaskReply.newBuilder().setId("started " + request.getId()).build();
    }
  }

  @Test
  void escapedRpcNamesAreTheSameOnTheServerAndTheStubs() throws Exception {
    node.addService(new Tpu());
    node.addService(new Task());
    assertEquals(
        "node a",
        TpuRunar.newBlockingStub(node)
            .getNode_(GetNodeRequest.newBuilder().setName("a").build())
            .getName());
    assertEquals(
        "started t",
        TaskRunar.newFutureStub(node)
            .start_(TaskRequest.newBuilder().setId("t").build())
            .get(10, TimeUnit.SECONDS)
            .getId());
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> TaskRunar.newBlockingStub(node).wait_(TaskRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNIMPLEMENTED, e.code());
  }

  @Test
  void eachGeneratedServiceExposesItsProtoDescriptor() {
    ServiceDescriptor room = RoomRunar.getServiceDescriptor();
    assertEquals("chat.Room", room.getFullName());
    assertEquals(RoomRunar.SERVICE_NAME, room.getFullName());
    assertEquals(
        List.of("Post", "Greet"), room.getMethods().stream().map(m -> m.getName()).toList());
    assertEquals("chat/chat.proto", room.getFile().getName());
    assertEquals(ChatMessage.getDescriptor(), room.findMethodByName("Post").getInputType());
    assertEquals(PostAck.getDescriptor(), room.findMethodByName("Post").getOutputType());
    assertEquals(room, new RoomImpl().bindService().protoDescriptor().orElseThrow());
    assertTrue(TestServices.echo("hand-made").protoDescriptor().isEmpty());
  }

  @Test
  void idempotencyLevelsAreOnTheMethodDescriptors() {
    assertEquals(IdempotencyLevel.NO_SIDE_EFFECTS, TpuRunar.METHOD_GET_NODE.idempotencyLevel());
    assertTrue(TpuRunar.METHOD_GET_NODE.isSafe());
    assertTrue(TpuRunar.METHOD_GET_NODE.isIdempotent());
    assertEquals(IdempotencyLevel.IDEMPOTENT, TpuRunar.METHOD_DELETE_NODE.idempotencyLevel());
    assertFalse(TpuRunar.METHOD_DELETE_NODE.isSafe());
    assertTrue(TpuRunar.METHOD_DELETE_NODE.isIdempotent());
    assertEquals(IdempotencyLevel.IDEMPOTENCY_UNKNOWN, TaskRunar.METHOD_START.idempotencyLevel());
    assertFalse(TaskRunar.METHOD_START.isIdempotent());
  }

  static final class RoomImpl extends RoomRunar.RoomImplBase {}

  @Test
  void theRegistryListsTheFilesOfEveryHostedServiceWithTheirImports() throws Exception {
    node.addService(new RoomImpl());
    node.addService(new GreeterRunar.GreeterImplBase() {});
    node.addService(new Tpu());
    node.addService(TestServices.echo("hand-made")); // no proto: contributes nothing
    FileDescriptorSet set =
        (FileDescriptorSet)
            TestServices.await(
                node.request(
                    "$registry/services/descriptors", ListServicesRequest.getDefaultInstance()));
    List<String> names = set.getFileList().stream().map(FileDescriptorProto::getName).toList();
    assertEquals(names.size(), names.stream().distinct().count(), "each file once: " + names);
    for (String expected :
        List.of(
            "chat/chat.proto",
            "helloworld/greeter.proto",
            "runar/options.proto",
            "google/protobuf/descriptor.proto",
            "edge/clashes.proto")) {
      assertTrue(names.contains(expected), expected + " missing from " + names);
    }
    // Imports come first, so the set rebuilds into descriptors in order, as protoc's would.
    Map<String, FileDescriptor> built = new HashMap<>();
    for (FileDescriptorProto file : set.getFileList()) {
      FileDescriptor[] deps =
          file.getDependencyList().stream().map(built::get).toArray(FileDescriptor[]::new);
      for (int i = 0; i < deps.length; i++) {
        assertTrue(
            deps[i] != null, file.getName() + " listed before its import " + file.getDependency(i));
      }
      built.put(file.getName(), FileDescriptor.buildFrom(file, deps));
    }
    assertEquals(
        List.of("Post", "Greet"),
        built.get("chat/chat.proto").findServiceByName("Room").getMethods().stream()
            .map(m -> m.getName())
            .toList());
  }

  /** A service whose Shutdown answers after half a second. */
  static final class SlowTask extends TaskRunar.TaskImplBase {
    @Override
    public TaskReply shutdown(TaskRequest request) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return TaskReply.getDefaultInstance();
    }
  }

  @Test
  void withDeadlineAfterFixesOneDeadlineForEveryCallOfTheStub() {
    node.addService(new SlowTask());
    TaskRunar.TaskBlockingStub stub =
        TaskRunar.newBlockingStub(node).withDeadlineAfter(100, TimeUnit.MILLISECONDS);
    Deadline deadline = stub.getCallOptions().deadline();
    assertTrue(
        deadline.timeRemaining().compareTo(Duration.ofMillis(100)) <= 0, deadline.toString());
    assertEquals(
        deadline, stub.withMetadata("k", "v").getCallOptions().deadline(), "copies share it");
    StatusException e =
        assertThrows(StatusException.class, () -> stub.shutdown(TaskRequest.getDefaultInstance()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());

    TaskRunar.TaskBlockingStub wallClock =
        TaskRunar.newBlockingStub(node).withDeadline(Instant.now().plusMillis(100));
    assertTrue(
        wallClock.getCallOptions().deadline().timeRemaining().compareTo(Duration.ofMillis(100))
            <= 0);
    assertEquals(
        Status.Code.DEADLINE_EXCEEDED,
        assertThrows(
                StatusException.class, () -> wallClock.shutdown(TaskRequest.getDefaultInstance()))
            .code());
    assertEquals(
        TaskReply.getDefaultInstance(),
        TaskRunar.newBlockingStub(node)
            .withDeadlineAfter(Duration.ofSeconds(10))
            .shutdown(TaskRequest.getDefaultInstance()));
  }
}
