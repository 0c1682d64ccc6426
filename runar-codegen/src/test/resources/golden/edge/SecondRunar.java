package edge;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Empty;
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
 * Runar stubs and server base for {@code edge.Second}.
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: edge/keywords.proto"
)
public final class SecondRunar {
  /**
   * The path the service is hosted at.
   */
  public static final String SERVICE_PATH = "edge.Second";

  /**
   * The service's full proto name.
   */
  public static final String SERVICE_NAME = "edge.Second";

  /**
   * The path callers address {@code Ping} at.
   */
  public static final String PATH_PING = "edge.Second/Ping";

  /**
   * Describes {@code Ping}.
   */
  public static final MethodDescriptor<Empty, Empty> METHOD_PING = MethodDescriptor.unary(SERVICE_PATH, "Ping", Empty.getDefaultInstance(), Empty.getDefaultInstance());

  private SecondRunar() {
  }

  /**
   * The proto descriptor of {@code edge.Second}, with its file and every file it imports: what reflection, gateways and {@code $registry/services/descriptors} read.
   */
  public static Descriptors.ServiceDescriptor getServiceDescriptor() {
    return KeywordsOuterClass.getDescriptor().findServiceByName("Second");
  }

  /**
   * Creates a blocking stub that calls the service through {@code node}.
   */
  public static SecondBlockingStub newBlockingStub(Node node) {
    return new SecondBlockingStub(node, CallOptions.DEFAULT);
  }

  /**
   * Creates a future stub that calls the service through {@code node}.
   */
  public static SecondFutureStub newFutureStub(Node node) {
    return new SecondFutureStub(node, CallOptions.DEFAULT);
  }

  /**
   * Base class for implementations of {@code Second}. Override each rpc in direct style (return the reply; runs on the node's service executor) or in async style (the {@code ...Async} method, returning a stage). An rpc left alone answers UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.
   */
  public abstract static class SecondImplBase implements BindableService, ServiceLifecycle {
    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public Empty ping(Empty request) {
      throw ServerCalls.unimplemented(METHOD_PING);
    }

    /**
     * Async style for {@code Ping}; by default runs {@link #ping}.
     */
    public CompletionStage<Empty> pingAsync(Empty request) {
      return CompletableFuture.completedFuture(ping(request));
    }

    @Override
    public final ServiceDefinition bindService() {
      return ServiceDefinition.builder(SERVICE_PATH)
          .name(SERVICE_NAME)
          .version("0.0.0")
          .description("")
          .protoDescriptor(SecondRunar.getServiceDescriptor())
          .lifecycle(this)
          .unary(METHOD_PING, (request, context) -> pingAsync(request))
          .build();
    }
  }

  /**
   * A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to read) and throws {@code StatusException} on failure. Immutable: {@code with...} methods return a copy.
   */
  public static final class SecondBlockingStub extends AbstractStub<SecondBlockingStub> {
    private SecondBlockingStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected SecondBlockingStub build(Node node, CallOptions callOptions) {
      return new SecondBlockingStub(node, callOptions);
    }

    /**
     * Calls {@code Ping}.
     */
    public Empty ping(Empty request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_PING, request, getCallOptions());
    }
  }

  /**
   * A future stub: each call returns at once, with a future of the reply or a {@code Flow.Publisher} of the stream, failing with a {@code StatusException}. Immutable: {@code with...} methods return a copy.
   */
  public static final class SecondFutureStub extends AbstractStub<SecondFutureStub> {
    private SecondFutureStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected SecondFutureStub build(Node node, CallOptions callOptions) {
      return new SecondFutureStub(node, callOptions);
    }

    /**
     * Calls {@code Ping}.
     */
    public CompletableFuture<Empty> ping(Empty request) {
      return getNode().call(METHOD_PING, request, getCallOptions());
    }
  }
}
