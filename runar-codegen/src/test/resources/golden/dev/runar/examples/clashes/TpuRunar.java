package dev.runar.examples.clashes;

import com.google.protobuf.DescriptorProtos;
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
 * Runar stubs and server base for {@code edge.clashes.Tpu}.
 *
 * <p>As in Cloud TPU's google/cloud/tpu/v2/cloud_tpu.proto: GetNode meets AbstractStub.getNode().
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: edge/clashes.proto"
)
public final class TpuRunar {
  /**
   * The path the service is hosted at.
   */
  public static final String SERVICE_PATH = "edge.clashes.Tpu";

  /**
   * The service's full proto name.
   */
  public static final String SERVICE_NAME = "edge.clashes.Tpu";

  /**
   * The path callers address {@code GetNode} at.
   */
  public static final String PATH_GET_NODE = "edge.clashes.Tpu/GetNode";

  /**
   * The path callers address {@code DeleteNode} at.
   */
  public static final String PATH_DELETE_NODE = "edge.clashes.Tpu/DeleteNode";

  /**
   * Describes {@code GetNode}.
   */
  public static final MethodDescriptor<GetNodeRequest, TpuNode> METHOD_GET_NODE = MethodDescriptor.unary(SERVICE_PATH, "GetNode", GetNodeRequest.getDefaultInstance(), TpuNode.getDefaultInstance()).withIdempotencyLevel(DescriptorProtos.MethodOptions.IdempotencyLevel.NO_SIDE_EFFECTS);

  /**
   * Describes {@code DeleteNode}.
   */
  public static final MethodDescriptor<GetNodeRequest, TpuNode> METHOD_DELETE_NODE = MethodDescriptor.unary(SERVICE_PATH, "DeleteNode", GetNodeRequest.getDefaultInstance(), TpuNode.getDefaultInstance()).withIdempotencyLevel(DescriptorProtos.MethodOptions.IdempotencyLevel.IDEMPOTENT);

  private TpuRunar() {
  }

  /**
   * The proto descriptor of {@code edge.clashes.Tpu}, with its file and every file it imports: what reflection, gateways and {@code $registry/services/descriptors} read.
   */
  public static Descriptors.ServiceDescriptor getServiceDescriptor() {
    return Clashes.getDescriptor().findServiceByName("Tpu");
  }

  /**
   * Creates a blocking stub that calls the service through {@code node}.
   */
  public static TpuBlockingStub newBlockingStub(Node node) {
    return new TpuBlockingStub(node, CallOptions.DEFAULT);
  }

  /**
   * Creates a future stub that calls the service through {@code node}.
   */
  public static TpuFutureStub newFutureStub(Node node) {
    return new TpuFutureStub(node, CallOptions.DEFAULT);
  }

  /**
   * Base class for implementations of {@code Tpu}. Override each rpc in direct style (return the reply; runs on the node's service executor) or in async style (the {@code ...Async} method, returning a stage). An rpc left alone answers UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.
   */
  public abstract static class TpuImplBase implements BindableService, ServiceLifecycle {
    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public TpuNode getNode_(GetNodeRequest request) {
      throw ServerCalls.unimplemented(METHOD_GET_NODE);
    }

    /**
     * Async style for {@code GetNode}; by default runs {@link #getNode_}.
     */
    public CompletionStage<TpuNode> getNodeAsync(GetNodeRequest request) {
      return CompletableFuture.completedFuture(getNode_(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public TpuNode deleteNode(GetNodeRequest request) {
      throw ServerCalls.unimplemented(METHOD_DELETE_NODE);
    }

    /**
     * Async style for {@code DeleteNode}; by default runs {@link #deleteNode}.
     */
    public CompletionStage<TpuNode> deleteNodeAsync(GetNodeRequest request) {
      return CompletableFuture.completedFuture(deleteNode(request));
    }

    @Override
    public final ServiceDefinition bindService() {
      return ServiceDefinition.builder(SERVICE_PATH)
          .name(SERVICE_NAME)
          .version("0.0.0")
          .description("As in Cloud TPU's google/cloud/tpu/v2/cloud_tpu.proto: GetNode meets AbstractStub.getNode().")
          .protoDescriptor(TpuRunar.getServiceDescriptor())
          .lifecycle(this)
          .unary(METHOD_GET_NODE, (request, context) -> getNodeAsync(request))
          .unary(METHOD_DELETE_NODE, (request, context) -> deleteNodeAsync(request))
          .build();
    }
  }

  /**
   * A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to read) and throws {@code StatusException} on failure. Immutable: {@code with...} methods return a copy.
   */
  public static final class TpuBlockingStub extends AbstractStub<TpuBlockingStub> {
    private TpuBlockingStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected TpuBlockingStub build(Node node, CallOptions callOptions) {
      return new TpuBlockingStub(node, callOptions);
    }

    /**
     * Calls {@code GetNode}.
     */
    public TpuNode getNode_(GetNodeRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_GET_NODE, request, getCallOptions());
    }

    /**
     * Calls {@code DeleteNode}.
     */
    public TpuNode deleteNode(GetNodeRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_DELETE_NODE, request, getCallOptions());
    }
  }

  /**
   * A future stub: each call returns at once, with a future of the reply or a {@code Flow.Publisher} of the stream, failing with a {@code StatusException}. Immutable: {@code with...} methods return a copy.
   */
  public static final class TpuFutureStub extends AbstractStub<TpuFutureStub> {
    private TpuFutureStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected TpuFutureStub build(Node node, CallOptions callOptions) {
      return new TpuFutureStub(node, callOptions);
    }

    /**
     * Calls {@code GetNode}.
     */
    public CompletableFuture<TpuNode> getNode_(GetNodeRequest request) {
      return getNode().call(METHOD_GET_NODE, request, getCallOptions());
    }

    /**
     * Calls {@code DeleteNode}.
     */
    public CompletableFuture<TpuNode> deleteNode(GetNodeRequest request) {
      return getNode().call(METHOD_DELETE_NODE, request, getCallOptions());
    }
  }
}
