package dev.runar.examples.helloworld;

import com.google.protobuf.Descriptors;
import dev.runar.BindableService;
import dev.runar.CallOptions;
import dev.runar.MethodDescriptor;
import dev.runar.Node;
import dev.runar.ServiceDefinition;
import dev.runar.ServiceLifecycle;
import dev.runar.stub.AbstractStub;
import dev.runar.stub.ClientCalls;
import dev.runar.stub.ServerCalls;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * Runar stubs and server base for {@code helloworld.Greeter}.
 *
 * <p>Greets people. Politely.
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: helloworld/greeter.proto"
)
public final class GreeterRunar {
  /**
   * The path the service is hosted at.
   */
  public static final String SERVICE_PATH = "helloworld.Greeter";

  /**
   * The service's full proto name.
   */
  public static final String SERVICE_NAME = "helloworld.Greeter";

  /**
   * The path callers address {@code SayHello} at.
   */
  public static final String PATH_SAY_HELLO = "helloworld.Greeter/SayHello";

  /**
   * The path callers address {@code SayGoodbye} at.
   */
  public static final String PATH_SAY_GOODBYE = "helloworld.Greeter/SayGoodbye";

  /**
   * Describes {@code SayHello}.
   */
  public static final MethodDescriptor<HelloRequest, HelloReply> METHOD_SAY_HELLO = MethodDescriptor.unary(SERVICE_PATH, "SayHello", HelloRequest.getDefaultInstance(), HelloReply.getDefaultInstance());

  /**
   * Describes {@code SayGoodbye}.
   */
  public static final MethodDescriptor<HelloRequest, HelloReply> METHOD_SAY_GOODBYE = MethodDescriptor.unary(SERVICE_PATH, "SayGoodbye", HelloRequest.getDefaultInstance(), HelloReply.getDefaultInstance());

  private GreeterRunar() {
  }

  /**
   * The proto descriptor of {@code helloworld.Greeter}, with its file and every file it imports: what reflection, gateways and {@code $registry/services/descriptors} read.
   */
  public static Descriptors.ServiceDescriptor getServiceDescriptor() {
    return GreeterOuterClass.getDescriptor().findServiceByName("Greeter");
  }

  /**
   * Creates a blocking stub that calls the service through {@code node}.
   */
  public static GreeterBlockingStub newBlockingStub(Node node) {
    return new GreeterBlockingStub(node, CallOptions.DEFAULT);
  }

  /**
   * Creates a future stub that calls the service through {@code node}.
   */
  public static GreeterFutureStub newFutureStub(Node node) {
    return new GreeterFutureStub(node, CallOptions.DEFAULT);
  }

  /**
   * Base class for implementations of {@code Greeter}. Override each rpc in direct style (return the reply; runs on the node's service executor) or in async style (the {@code ...Async} method, returning a stage). An rpc left alone answers UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.
   */
  public abstract static class GreeterImplBase implements BindableService, ServiceLifecycle {
    /**
     * Says hello to the person named in the request.
     *
     * <p>Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public HelloReply sayHello(HelloRequest request) {
      throw ServerCalls.unimplemented(METHOD_SAY_HELLO);
    }

    /**
     * Async style for {@code SayHello}; by default runs {@link #sayHello}.
     */
    public CompletionStage<HelloReply> sayHelloAsync(HelloRequest request) {
      return CompletableFuture.completedFuture(sayHello(request));
    }

    /**
     * Says goodbye; comments with &lt;html&gt; &amp; *&#47; and &#64;tags are escaped.
     *
     * <p>Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public HelloReply sayGoodbye(HelloRequest request) {
      throw ServerCalls.unimplemented(METHOD_SAY_GOODBYE);
    }

    /**
     * Async style for {@code SayGoodbye}; by default runs {@link #sayGoodbye}.
     */
    public CompletionStage<HelloReply> sayGoodbyeAsync(HelloRequest request) {
      return CompletableFuture.completedFuture(sayGoodbye(request));
    }

    @Override
    public final ServiceDefinition bindService() {
      return ServiceDefinition.builder(SERVICE_PATH)
          .name(SERVICE_NAME)
          .version("0.0.0")
          .description("Greets people.")
          .protoDescriptor(GreeterRunar.getServiceDescriptor())
          .lifecycle(this)
          .unary(METHOD_SAY_HELLO, (request, context) -> sayHelloAsync(request))
          .unary(METHOD_SAY_GOODBYE, (request, context) -> sayGoodbyeAsync(request))
          .build();
    }
  }

  /**
   * A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to read) and throws {@code StatusException} on failure. Immutable: {@code with...} methods return a copy.
   */
  public static final class GreeterBlockingStub extends AbstractStub<GreeterBlockingStub> {
    private GreeterBlockingStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected GreeterBlockingStub build(Node node, CallOptions callOptions) {
      return new GreeterBlockingStub(node, callOptions);
    }

    /**
     * Says hello to the person named in the request.
     */
    public HelloReply sayHello(HelloRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_SAY_HELLO, request, getCallOptions());
    }

    /**
     * Says goodbye; comments with &lt;html&gt; &amp; *&#47; and &#64;tags are escaped.
     */
    public HelloReply sayGoodbye(HelloRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_SAY_GOODBYE, request, getCallOptions());
    }
  }

  /**
   * A future stub: each call returns at once, with a future of the reply or a {@code Flow.Publisher} of the stream, failing with a {@code StatusException}. Immutable: {@code with...} methods return a copy.
   */
  public static final class GreeterFutureStub extends AbstractStub<GreeterFutureStub> {
    private GreeterFutureStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected GreeterFutureStub build(Node node, CallOptions callOptions) {
      return new GreeterFutureStub(node, callOptions);
    }

    /**
     * Says hello to the person named in the request.
     */
    public CompletableFuture<HelloReply> sayHello(HelloRequest request) {
      return getNode().call(METHOD_SAY_HELLO, request, getCallOptions());
    }

    /**
     * Says goodbye; comments with &lt;html&gt; &amp; *&#47; and &#64;tags are escaped.
     */
    public CompletableFuture<HelloReply> sayGoodbye(HelloRequest request) {
      return getNode().call(METHOD_SAY_GOODBYE, request, getCallOptions());
    }
  }
}
