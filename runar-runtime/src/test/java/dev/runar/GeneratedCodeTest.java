package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.runar.examples.chat.ChatProtos.ChatMessage;
import dev.runar.examples.chat.ChatProtos.ChatPosted;
import dev.runar.examples.chat.ChatProtos.PostAck;
import dev.runar.examples.chat.ChatTopics;
import dev.runar.examples.chat.RoomRunar;
import dev.runar.examples.helloworld.GreeterRunar;
import dev.runar.examples.helloworld.HelloReply;
import dev.runar.examples.helloworld.HelloRequest;
import edge.PublicRunar;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Code generated from runar-codegen's test protos, called through a local node. */
class GeneratedCodeTest {
  private final Node node = TestServices.startedNode();

  @AfterEach
  void stop() {
    node.stop();
  }

  /** Direct style: returns the reply; SayGoodbye left unimplemented. */
  static final class DirectGreeter extends GreeterRunar.GreeterImplBase {
    @Override
    public HelloReply sayHello(HelloRequest request) {
      String user = CallContext.current().metadata().getOrDefault("user", "?");
      return HelloReply.newBuilder()
          .setMessage("Hello, " + request.getName() + " (from " + user + ")")
          .build();
    }
  }

  /** Async style. */
  static final class AsyncGreeter extends GreeterRunar.GreeterImplBase {
    @Override
    public CompletionStage<HelloReply> sayHelloAsync(HelloRequest request) {
      return CompletableFuture.supplyAsync(
          () -> HelloReply.newBuilder().setMessage("Hi " + request.getName()).build());
    }
  }

  @Test
  void blockingStubAgainstDirectStyleServer() {
    node.addService(new DirectGreeter());
    GreeterRunar.GreeterBlockingStub stub =
        GreeterRunar.newBlockingStub(node).withMetadata("user", "test");
    HelloReply reply = stub.sayHello(HelloRequest.newBuilder().setName("Ada").build());
    assertEquals("Hello, Ada (from test)", reply.getMessage());
  }

  @Test
  void futureStubAgainstAsyncStyleServer() throws Exception {
    node.addService(new AsyncGreeter());
    HelloReply reply =
        GreeterRunar.newFutureStub(node)
            .sayHello(HelloRequest.newBuilder().setName("Bo").build())
            .get(10, TimeUnit.SECONDS);
    assertEquals("Hi Bo", reply.getMessage());
  }

  @Test
  void unimplementedRpcAnswersUnimplemented() {
    node.addService(new DirectGreeter());
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> GreeterRunar.newBlockingStub(node).sayGoodbye(HelloRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNIMPLEMENTED, e.code());
    assertTrue(e.getMessage().contains("helloworld.Greeter/SayGoodbye"), e.getMessage());
  }

  @Test
  void blockingStubThrowsTheTypedStatusForMissingServicesAndDeadlines() {
    StatusException missing =
        assertThrows(
            StatusException.class,
            () -> GreeterRunar.newBlockingStub(node).sayHello(HelloRequest.getDefaultInstance()));
    assertEquals(Status.Code.NOT_FOUND, missing.code());

    node.addService(
        new GreeterRunar.GreeterImplBase() {
          @Override
          public HelloReply sayHello(HelloRequest request) {
            try {
              Thread.sleep(2_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return HelloReply.getDefaultInstance();
          }
        });
    StatusException late =
        assertThrows(
            StatusException.class,
            () ->
                GreeterRunar.newBlockingStub(node)
                    .withTimeout(Duration.ofMillis(50))
                    .sayHello(HelloRequest.getDefaultInstance()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, late.code());
  }

  @Test
  void stubsAreImmutable() {
    GreeterRunar.GreeterBlockingStub base = GreeterRunar.newBlockingStub(node);
    GreeterRunar.GreeterBlockingStub derived =
        base.withTimeout(Duration.ofSeconds(1)).withMetadata("k", "v");
    assertEquals(null, base.getCallOptions().timeout());
    assertTrue(base.getCallOptions().metadata().isEmpty());
    assertEquals(Duration.ofSeconds(1), derived.getCallOptions().timeout());
    assertEquals("v", derived.getCallOptions().metadata().get("k"));
    GreeterRunar.GreeterBlockingStub tuned =
        derived.withRetryPolicy(RetryPolicy.NONE).withCompression("gzip");
    assertEquals(RetryPolicy.NONE, tuned.getCallOptions().retryPolicy().orElseThrow());
    assertEquals("gzip", tuned.getCallOptions().compression());
    assertEquals("v", tuned.getCallOptions().metadata().get("k"));
    assertTrue(derived.getCallOptions().retryPolicy().isEmpty());
    assertEquals("", derived.getCallOptions().compression());
  }

  @Test
  void runarOptionsAndTypedEvents() throws Exception {
    AtomicLong ids = new AtomicLong();
    node.addService(
        new RoomRunar.RoomImplBase() {
          private Node host;

          @Override
          public void init(Node n) {
            host = n;
          }

          @Override
          public PostAck post(ChatMessage request) {
            long id = ids.incrementAndGet();
            host.publish(
                ChatTopics.CHAT_POSTED,
                ChatPosted.newBuilder().setMessage(request).setId(id).build());
            return PostAck.newBuilder().setId(id).build();
          }
        });
    assertEquals("chat/rooms/post", RoomRunar.PATH_POST);
    BlockingQueue<ChatPosted> posted = new LinkedBlockingQueue<>();
    node.subscribe(ChatTopics.CHAT_POSTED, posted::add);

    ChatMessage message = ChatMessage.newBuilder().setRoom("blue").setText("hi").build();
    PostAck ack = RoomRunar.newBlockingStub(node).post(message);
    ChatPosted event = posted.poll(10, TimeUnit.SECONDS);
    assertEquals(ack.getId(), event.getId());
    assertEquals(message, event.getMessage());
    // The same action through the untyped path, by its overridden name.
    assertEquals(
        ack.getId() + 1,
        ((PostAck) TestServices.await(node.request("chat/rooms/post", message))).getId());
  }

  @Test
  void keywordNamedRpcsWork() {
    node.addService(
        new PublicRunar.PublicImplBase() {
          @Override
          public Timestamp toString_(Empty request) {
            return Timestamp.newBuilder().setSeconds(42).build();
          }
        });
    assertEquals(
        42, PublicRunar.newBlockingStub(node).toString_(Empty.getDefaultInstance()).getSeconds());
    assertEquals("edge.Public/ToString", PublicRunar.PATH_TO_STRING);
  }
}
