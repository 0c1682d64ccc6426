package edge;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.runar.BindableService;
import dev.runar.BlockingStream;
import dev.runar.CallOptions;
import dev.runar.MethodDescriptor;
import dev.runar.Node;
import dev.runar.ServiceDefinition;
import dev.runar.ServiceLifecycle;
import dev.runar.StreamSink;
import dev.runar.stub.AbstractStub;
import dev.runar.stub.ClientCalls;
import dev.runar.stub.Publishers;
import dev.runar.stub.ServerCalls;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import javax.annotation.processing.Generated;

/**
 * Runar stubs and server base for {@code edge.Public}.
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: edge/keywords.proto"
)
public final class PublicRunar {
  /**
   * The path the service is hosted at.
   */
  public static final String SERVICE_PATH = "edge.Public";

  /**
   * The service's full proto name.
   */
  public static final String SERVICE_NAME = "edge.Public";

  /**
   * The path callers address {@code Class} at.
   */
  public static final String PATH_CLASS = "edge.Public/Class";

  /**
   * The path callers address {@code Init} at.
   */
  public static final String PATH_INIT = "edge.Public/Init";

  /**
   * The path callers address {@code ToString} at.
   */
  public static final String PATH_TO_STRING = "edge.Public/ToString";

  /**
   * The path callers address {@code GetNode} at.
   */
  public static final String PATH_GET_NODE = "edge.Public/GetNode";

  /**
   * The path callers address {@code Foo} at.
   */
  public static final String PATH_FOO = "edge.Public/Foo";

  /**
   * The path callers address {@code FooAsync} at.
   */
  public static final String PATH_FOO_ASYNC = "edge.Public/FooAsync";

  /**
   * The path callers address {@code Watch} at.
   */
  public static final String PATH_WATCH = "edge.Public/Watch";

  /**
   * The path callers address {@code Upload} at.
   */
  public static final String PATH_UPLOAD = "edge.Public/Upload";

  /**
   * Describes {@code Class}.
   */
  public static final MethodDescriptor<KeywordsOuterClass.Keywords, KeywordsOuterClass.Keywords.Inner> METHOD_CLASS = MethodDescriptor.unary(SERVICE_PATH, "Class", KeywordsOuterClass.Keywords.getDefaultInstance(), KeywordsOuterClass.Keywords.Inner.getDefaultInstance());

  /**
   * Describes {@code Init}.
   */
  public static final MethodDescriptor<KeywordsOuterClass.Node, KeywordsOuterClass.Status> METHOD_INIT = MethodDescriptor.unary(SERVICE_PATH, "Init", KeywordsOuterClass.Node.getDefaultInstance(), KeywordsOuterClass.Status.getDefaultInstance());

  /**
   * Describes {@code ToString}.
   */
  public static final MethodDescriptor<Empty, Timestamp> METHOD_TO_STRING = MethodDescriptor.unary(SERVICE_PATH, "ToString", Empty.getDefaultInstance(), Timestamp.getDefaultInstance());

  /**
   * Describes {@code GetNode}.
   */
  public static final MethodDescriptor<KeywordsOuterClass.Node, KeywordsOuterClass.Node> METHOD_GET_NODE = MethodDescriptor.unary(SERVICE_PATH, "GetNode", KeywordsOuterClass.Node.getDefaultInstance(), KeywordsOuterClass.Node.getDefaultInstance());

  /**
   * Describes {@code Foo}.
   */
  public static final MethodDescriptor<KeywordsOuterClass.PublicImplBase, KeywordsOuterClass.PublicImplBase> METHOD_FOO = MethodDescriptor.unary(SERVICE_PATH, "Foo", KeywordsOuterClass.PublicImplBase.getDefaultInstance(), KeywordsOuterClass.PublicImplBase.getDefaultInstance());

  /**
   * Describes {@code FooAsync}.
   */
  public static final MethodDescriptor<KeywordsOuterClass.PublicImplBase, KeywordsOuterClass.PublicImplBase> METHOD_FOO_ASYNC = MethodDescriptor.unary(SERVICE_PATH, "FooAsync", KeywordsOuterClass.PublicImplBase.getDefaultInstance(), KeywordsOuterClass.PublicImplBase.getDefaultInstance());

  /**
   * Describes {@code Watch}.
   */
  public static final MethodDescriptor<KeywordsOuterClass.Node, KeywordsOuterClass.Status> METHOD_WATCH = MethodDescriptor.create(MethodDescriptor.MethodType.SERVER_STREAMING, SERVICE_PATH, "Watch", KeywordsOuterClass.Node.getDefaultInstance(), KeywordsOuterClass.Status.getDefaultInstance());

  /**
   * Describes {@code Upload}.
   */
  public static final MethodDescriptor<KeywordsOuterClass.Node, KeywordsOuterClass.Status> METHOD_UPLOAD = MethodDescriptor.create(MethodDescriptor.MethodType.CLIENT_STREAMING, SERVICE_PATH, "Upload", KeywordsOuterClass.Node.getDefaultInstance(), KeywordsOuterClass.Status.getDefaultInstance());

  private PublicRunar() {
  }

  /**
   * The proto descriptor of {@code edge.Public}, with its file and every file it imports: what reflection, gateways and {@code $registry/services/descriptors} read.
   */
  public static Descriptors.ServiceDescriptor getServiceDescriptor() {
    return KeywordsOuterClass.getDescriptor().findServiceByName("Public");
  }

  /**
   * Creates a blocking stub that calls the service through {@code node}.
   */
  public static PublicBlockingStub newBlockingStub(Node node) {
    return new PublicBlockingStub(node, CallOptions.DEFAULT);
  }

  /**
   * Creates a future stub that calls the service through {@code node}.
   */
  public static PublicFutureStub newFutureStub(Node node) {
    return new PublicFutureStub(node, CallOptions.DEFAULT);
  }

  /**
   * Base class for implementations of {@code Public}. Override each rpc in direct style (return the reply; runs on the node's service executor) or in async style (the {@code ...Async} method, returning a stage). An rpc left alone answers UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.
   */
  public abstract static class PublicImplBase implements BindableService, ServiceLifecycle {
    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public KeywordsOuterClass.Keywords.Inner class_(KeywordsOuterClass.Keywords request) {
      throw ServerCalls.unimplemented(METHOD_CLASS);
    }

    /**
     * Async style for {@code Class}; by default runs {@link #class_}.
     */
    public CompletionStage<KeywordsOuterClass.Keywords.Inner> classAsync(
        KeywordsOuterClass.Keywords request) {
      return CompletableFuture.completedFuture(class_(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public KeywordsOuterClass.Status init_(KeywordsOuterClass.Node request) {
      throw ServerCalls.unimplemented(METHOD_INIT);
    }

    /**
     * Async style for {@code Init}; by default runs {@link #init_}.
     */
    public CompletionStage<KeywordsOuterClass.Status> initAsync(KeywordsOuterClass.Node request) {
      return CompletableFuture.completedFuture(init_(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public Timestamp toString_(Empty request) {
      throw ServerCalls.unimplemented(METHOD_TO_STRING);
    }

    /**
     * Async style for {@code ToString}; by default runs {@link #toString_}.
     */
    public CompletionStage<Timestamp> toStringAsync(Empty request) {
      return CompletableFuture.completedFuture(toString_(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public KeywordsOuterClass.Node getNode_(KeywordsOuterClass.Node request) {
      throw ServerCalls.unimplemented(METHOD_GET_NODE);
    }

    /**
     * Async style for {@code GetNode}; by default runs {@link #getNode_}.
     */
    public CompletionStage<KeywordsOuterClass.Node> getNodeAsync(KeywordsOuterClass.Node request) {
      return CompletableFuture.completedFuture(getNode_(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public KeywordsOuterClass.PublicImplBase foo(KeywordsOuterClass.PublicImplBase request) {
      throw ServerCalls.unimplemented(METHOD_FOO);
    }

    /**
     * Async style for {@code Foo}; by default runs {@link #foo}.
     */
    public CompletionStage<KeywordsOuterClass.PublicImplBase> fooAsync_(
        KeywordsOuterClass.PublicImplBase request) {
      return CompletableFuture.completedFuture(foo(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public KeywordsOuterClass.PublicImplBase fooAsync(KeywordsOuterClass.PublicImplBase request) {
      throw ServerCalls.unimplemented(METHOD_FOO_ASYNC);
    }

    /**
     * Async style for {@code FooAsync}; by default runs {@link #fooAsync}.
     */
    public CompletionStage<KeywordsOuterClass.PublicImplBase> fooAsyncAsync(
        KeywordsOuterClass.PublicImplBase request) {
      return CompletableFuture.completedFuture(fooAsync(request));
    }

    /**
     * Direct style: send each response to {@code responses} (each send waits for the consumer); return to end the stream, throw a {@code StatusException} to fail it. {@code CallContext.current()} describes the call.
     */
    public void watch(KeywordsOuterClass.Node request,
        StreamSink<KeywordsOuterClass.Status> responses) throws Exception {
      throw ServerCalls.unimplemented(METHOD_WATCH);
    }

    /**
     * Async style for {@code Watch}; by default runs {@link #watch}.
     */
    public Flow.Publisher<KeywordsOuterClass.Status> watchAsync(KeywordsOuterClass.Node request) {
      return ServerCalls.sink(responses -> watch(request, responses));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public KeywordsOuterClass.Status upload(BlockingStream<KeywordsOuterClass.Node> requests) throws
        Exception {
      throw ServerCalls.unimplemented(METHOD_UPLOAD);
    }

    /**
     * Async style for {@code Upload}; by default runs {@link #upload}.
     */
    public CompletionStage<KeywordsOuterClass.Status> uploadAsync(
        Flow.Publisher<KeywordsOuterClass.Node> requests) throws Exception {
      return CompletableFuture.completedFuture(upload(ServerCalls.blocking(requests)));
    }

    @Override
    public final ServiceDefinition bindService() {
      return ServiceDefinition.builder(SERVICE_PATH)
          .name(SERVICE_NAME)
          .version("0.0.0")
          .description("")
          .protoDescriptor(PublicRunar.getServiceDescriptor())
          .lifecycle(this)
          .unary(METHOD_CLASS, (request, context) -> classAsync(request))
          .unary(METHOD_INIT, (request, context) -> initAsync(request))
          .unary(METHOD_TO_STRING, (request, context) -> toStringAsync(request))
          .unary(METHOD_GET_NODE, (request, context) -> getNodeAsync(request))
          .unary(METHOD_FOO, (request, context) -> fooAsync_(request))
          .unary(METHOD_FOO_ASYNC, (request, context) -> fooAsyncAsync(request))
          .streaming(METHOD_WATCH, (requests, context) -> watchAsync(ServerCalls.single(requests)))
          .streaming(METHOD_UPLOAD, (requests, context) -> Publishers.fromStage(uploadAsync(requests)))
          .build();
    }
  }

  /**
   * A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to read) and throws {@code StatusException} on failure. Immutable: {@code with...} methods return a copy.
   */
  public static final class PublicBlockingStub extends AbstractStub<PublicBlockingStub> {
    private PublicBlockingStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected PublicBlockingStub build(Node node, CallOptions callOptions) {
      return new PublicBlockingStub(node, callOptions);
    }

    /**
     * Calls {@code Class}.
     */
    public KeywordsOuterClass.Keywords.Inner class_(KeywordsOuterClass.Keywords request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_CLASS, request, getCallOptions());
    }

    /**
     * Calls {@code Init}.
     */
    public KeywordsOuterClass.Status init_(KeywordsOuterClass.Node request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_INIT, request, getCallOptions());
    }

    /**
     * Calls {@code ToString}.
     */
    public Timestamp toString_(Empty request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_TO_STRING, request, getCallOptions());
    }

    /**
     * Calls {@code GetNode}.
     */
    public KeywordsOuterClass.Node getNode_(KeywordsOuterClass.Node request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_GET_NODE, request, getCallOptions());
    }

    /**
     * Calls {@code Foo}.
     */
    public KeywordsOuterClass.PublicImplBase foo(KeywordsOuterClass.PublicImplBase request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_FOO, request, getCallOptions());
    }

    /**
     * Calls {@code FooAsync}.
     */
    public KeywordsOuterClass.PublicImplBase fooAsync(KeywordsOuterClass.PublicImplBase request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_FOO_ASYNC, request, getCallOptions());
    }

    /**
     * Calls {@code Watch}.
     */
    public BlockingStream<KeywordsOuterClass.Status> watch(KeywordsOuterClass.Node request) {
      return ClientCalls.blockingServerStream(getNode(), METHOD_WATCH, request, getCallOptions());
    }

    /**
     * Calls {@code Upload}.
     */
    public KeywordsOuterClass.Status upload(Iterable<KeywordsOuterClass.Node> requests) {
      return ClientCalls.blockingClientStream(getNode(), METHOD_UPLOAD, requests, getCallOptions());
    }
  }

  /**
   * A future stub: each call returns at once, with a future of the reply or a {@code Flow.Publisher} of the stream, failing with a {@code StatusException}. Immutable: {@code with...} methods return a copy.
   */
  public static final class PublicFutureStub extends AbstractStub<PublicFutureStub> {
    private PublicFutureStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected PublicFutureStub build(Node node, CallOptions callOptions) {
      return new PublicFutureStub(node, callOptions);
    }

    /**
     * Calls {@code Class}.
     */
    public CompletableFuture<KeywordsOuterClass.Keywords.Inner> class_(
        KeywordsOuterClass.Keywords request) {
      return getNode().call(METHOD_CLASS, request, getCallOptions());
    }

    /**
     * Calls {@code Init}.
     */
    public CompletableFuture<KeywordsOuterClass.Status> init_(KeywordsOuterClass.Node request) {
      return getNode().call(METHOD_INIT, request, getCallOptions());
    }

    /**
     * Calls {@code ToString}.
     */
    public CompletableFuture<Timestamp> toString_(Empty request) {
      return getNode().call(METHOD_TO_STRING, request, getCallOptions());
    }

    /**
     * Calls {@code GetNode}.
     */
    public CompletableFuture<KeywordsOuterClass.Node> getNode_(KeywordsOuterClass.Node request) {
      return getNode().call(METHOD_GET_NODE, request, getCallOptions());
    }

    /**
     * Calls {@code Foo}.
     */
    public CompletableFuture<KeywordsOuterClass.PublicImplBase> foo(
        KeywordsOuterClass.PublicImplBase request) {
      return getNode().call(METHOD_FOO, request, getCallOptions());
    }

    /**
     * Calls {@code FooAsync}.
     */
    public CompletableFuture<KeywordsOuterClass.PublicImplBase> fooAsync(
        KeywordsOuterClass.PublicImplBase request) {
      return getNode().call(METHOD_FOO_ASYNC, request, getCallOptions());
    }

    /**
     * Calls {@code Watch}.
     */
    public Flow.Publisher<KeywordsOuterClass.Status> watch(KeywordsOuterClass.Node request) {
      return ClientCalls.serverStream(getNode(), METHOD_WATCH, request, getCallOptions());
    }

    /**
     * Calls {@code Upload}.
     */
    public CompletableFuture<KeywordsOuterClass.Status> upload(
        Flow.Publisher<KeywordsOuterClass.Node> requests) {
      return ClientCalls.clientStream(getNode(), METHOD_UPLOAD, requests, getCallOptions());
    }
  }
}
