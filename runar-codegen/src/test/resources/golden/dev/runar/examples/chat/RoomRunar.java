package dev.runar.examples.chat;

import com.google.protobuf.Descriptors;
import dev.runar.BindableService;
import dev.runar.CallOptions;
import dev.runar.MethodDescriptor;
import dev.runar.Node;
import dev.runar.ServiceDefinition;
import dev.runar.ServiceLifecycle;
import dev.runar.examples.helloworld.HelloReply;
import dev.runar.examples.helloworld.HelloRequest;
import dev.runar.stub.AbstractStub;
import dev.runar.stub.ClientCalls;
import dev.runar.stub.ServerCalls;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * Runar stubs and server base for {@code chat.Room}.
 *
 * <p>A chat room service.
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: chat/chat.proto"
)
public final class RoomRunar {
  /**
   * The path the service is hosted at.
   */
  public static final String SERVICE_PATH = "chat/rooms";

  /**
   * The service's full proto name.
   */
  public static final String SERVICE_NAME = "chat.Room";

  /**
   * The path callers address {@code Post} at.
   */
  public static final String PATH_POST = "chat/rooms/post";

  /**
   * The path callers address {@code Greet} at.
   */
  public static final String PATH_GREET = "chat/rooms/Greet";

  /**
   * Describes {@code Post}.
   */
  public static final MethodDescriptor<ChatProtos.ChatMessage, ChatProtos.PostAck> METHOD_POST = MethodDescriptor.unary(SERVICE_PATH, "post", ChatProtos.ChatMessage.getDefaultInstance(), ChatProtos.PostAck.getDefaultInstance());

  /**
   * Describes {@code Greet}.
   */
  public static final MethodDescriptor<HelloRequest, HelloReply> METHOD_GREET = MethodDescriptor.unary(SERVICE_PATH, "Greet", HelloRequest.getDefaultInstance(), HelloReply.getDefaultInstance());

  private RoomRunar() {
  }

  /**
   * The proto descriptor of {@code chat.Room}, with its file and every file it imports: what reflection, gateways and {@code $registry/services/descriptors} read.
   */
  public static Descriptors.ServiceDescriptor getServiceDescriptor() {
    return ChatProtos.getDescriptor().findServiceByName("Room");
  }

  /**
   * Creates a blocking stub that calls the service through {@code node}.
   */
  public static RoomBlockingStub newBlockingStub(Node node) {
    return new RoomBlockingStub(node, CallOptions.DEFAULT);
  }

  /**
   * Creates a future stub that calls the service through {@code node}.
   */
  public static RoomFutureStub newFutureStub(Node node) {
    return new RoomFutureStub(node, CallOptions.DEFAULT);
  }

  /**
   * Base class for implementations of {@code Room}. Override each rpc in direct style (return the reply; runs on the node's service executor) or in async style (the {@code ...Async} method, returning a stage). An rpc left alone answers UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.
   */
  public abstract static class RoomImplBase implements BindableService, ServiceLifecycle {
    /**
     * Posts a message to the room.
     *
     * <p>Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public ChatProtos.PostAck post(ChatProtos.ChatMessage request) {
      throw ServerCalls.unimplemented(METHOD_POST);
    }

    /**
     * Async style for {@code Post}; by default runs {@link #post}.
     */
    public CompletionStage<ChatProtos.PostAck> postAsync(ChatProtos.ChatMessage request) {
      return CompletableFuture.completedFuture(post(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public HelloReply greet(HelloRequest request) {
      throw ServerCalls.unimplemented(METHOD_GREET);
    }

    /**
     * Async style for {@code Greet}; by default runs {@link #greet}.
     */
    public CompletionStage<HelloReply> greetAsync(HelloRequest request) {
      return CompletableFuture.completedFuture(greet(request));
    }

    @Override
    public final ServiceDefinition bindService() {
      return ServiceDefinition.builder(SERVICE_PATH)
          .name(SERVICE_NAME)
          .version("1.2.0")
          .description("A chat room service.")
          .protoDescriptor(RoomRunar.getServiceDescriptor())
          .lifecycle(this)
          .unary(METHOD_POST, (request, context) -> postAsync(request))
          .unary(METHOD_GREET, (request, context) -> greetAsync(request))
          .build();
    }
  }

  /**
   * A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to read) and throws {@code StatusException} on failure. Immutable: {@code with...} methods return a copy.
   */
  public static final class RoomBlockingStub extends AbstractStub<RoomBlockingStub> {
    private RoomBlockingStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected RoomBlockingStub build(Node node, CallOptions callOptions) {
      return new RoomBlockingStub(node, callOptions);
    }

    /**
     * Posts a message to the room.
     */
    public ChatProtos.PostAck post(ChatProtos.ChatMessage request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_POST, request, getCallOptions());
    }

    /**
     * Calls {@code Greet}.
     */
    public HelloReply greet(HelloRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_GREET, request, getCallOptions());
    }
  }

  /**
   * A future stub: each call returns at once, with a future of the reply or a {@code Flow.Publisher} of the stream, failing with a {@code StatusException}. Immutable: {@code with...} methods return a copy.
   */
  public static final class RoomFutureStub extends AbstractStub<RoomFutureStub> {
    private RoomFutureStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected RoomFutureStub build(Node node, CallOptions callOptions) {
      return new RoomFutureStub(node, callOptions);
    }

    /**
     * Posts a message to the room.
     */
    public CompletableFuture<ChatProtos.PostAck> post(ChatProtos.ChatMessage request) {
      return getNode().call(METHOD_POST, request, getCallOptions());
    }

    /**
     * Calls {@code Greet}.
     */
    public CompletableFuture<HelloReply> greet(HelloRequest request) {
      return getNode().call(METHOD_GREET, request, getCallOptions());
    }
  }
}
