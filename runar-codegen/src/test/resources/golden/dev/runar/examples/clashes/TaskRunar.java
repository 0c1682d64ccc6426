package dev.runar.examples.clashes;

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
 * Runar stubs and server base for {@code edge.clashes.Task}.
 *
 * <p>As in containerd's task shim: Start meets ServiceLifecycle.start(), Wait meets Object.wait().
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: edge/clashes.proto"
)
public final class TaskRunar {
  /**
   * The path the service is hosted at.
   */
  public static final String SERVICE_PATH = "edge.clashes.Task";

  /**
   * The service's full proto name.
   */
  public static final String SERVICE_NAME = "edge.clashes.Task";

  /**
   * The path callers address {@code Start} at.
   */
  public static final String PATH_START = "edge.clashes.Task/Start";

  /**
   * The path callers address {@code StartAsync} at.
   */
  public static final String PATH_START_ASYNC = "edge.clashes.Task/StartAsync";

  /**
   * The path callers address {@code Wait} at.
   */
  public static final String PATH_WAIT = "edge.clashes.Task/Wait";

  /**
   * The path callers address {@code Shutdown} at.
   */
  public static final String PATH_SHUTDOWN = "edge.clashes.Task/Shutdown";

  /**
   * The path callers address {@code Stop} at.
   */
  public static final String PATH_STOP = "edge.clashes.Task/Stop";

  /**
   * Describes {@code Start}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_START = MethodDescriptor.unary(SERVICE_PATH, "Start", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  /**
   * Describes {@code StartAsync}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_START_ASYNC = MethodDescriptor.unary(SERVICE_PATH, "StartAsync", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  /**
   * Describes {@code Wait}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_WAIT = MethodDescriptor.unary(SERVICE_PATH, "Wait", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  /**
   * Describes {@code Shutdown}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_SHUTDOWN = MethodDescriptor.unary(SERVICE_PATH, "Shutdown", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  /**
   * Describes {@code Stop}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_STOP = MethodDescriptor.unary(SERVICE_PATH, "Stop", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  private TaskRunar() {
  }

  /**
   * The proto descriptor of {@code edge.clashes.Task}, with its file and every file it imports: what reflection, gateways and {@code $registry/services/descriptors} read.
   */
  public static Descriptors.ServiceDescriptor getServiceDescriptor() {
    return Clashes.getDescriptor().findServiceByName("Task");
  }

  /**
   * Creates a blocking stub that calls the service through {@code node}.
   */
  public static TaskBlockingStub newBlockingStub(Node node) {
    return new TaskBlockingStub(node, CallOptions.DEFAULT);
  }

  /**
   * Creates a future stub that calls the service through {@code node}.
   */
  public static TaskFutureStub newFutureStub(Node node) {
    return new TaskFutureStub(node, CallOptions.DEFAULT);
  }

  /**
   * Base class for implementations of {@code Task}. Override each rpc in direct style (return the reply; runs on the node's service executor) or in async style (the {@code ...Async} method, returning a stage). An rpc left alone answers UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.
   */
  public abstract static class TaskImplBase implements BindableService, ServiceLifecycle {
    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public TaskReply start_(TaskRequest request) {
      throw ServerCalls.unimplemented(METHOD_START);
    }

    /**
     * Async style for {@code Start}; by default runs {@link #start_}.
     */
    public CompletionStage<TaskReply> startAsync_(TaskRequest request) {
      return CompletableFuture.completedFuture(start_(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public TaskReply startAsync(TaskRequest request) {
      throw ServerCalls.unimplemented(METHOD_START_ASYNC);
    }

    /**
     * Async style for {@code StartAsync}; by default runs {@link #startAsync}.
     */
    public CompletionStage<TaskReply> startAsyncAsync(TaskRequest request) {
      return CompletableFuture.completedFuture(startAsync(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public TaskReply wait_(TaskRequest request) {
      throw ServerCalls.unimplemented(METHOD_WAIT);
    }

    /**
     * Async style for {@code Wait}; by default runs {@link #wait_}.
     */
    public CompletionStage<TaskReply> waitAsync(TaskRequest request) {
      return CompletableFuture.completedFuture(wait_(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public TaskReply shutdown(TaskRequest request) {
      throw ServerCalls.unimplemented(METHOD_SHUTDOWN);
    }

    /**
     * Async style for {@code Shutdown}; by default runs {@link #shutdown}.
     */
    public CompletionStage<TaskReply> shutdownAsync(TaskRequest request) {
      return CompletableFuture.completedFuture(shutdown(request));
    }

    /**
     * Replaced by Shutdown.
     *
     * <p>Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    @Deprecated
    public TaskReply stop_(TaskRequest request) {
      throw ServerCalls.unimplemented(METHOD_STOP);
    }

    /**
     * Async style for {@code Stop}; by default runs {@link #stop_}.
     */
    @Deprecated
    public CompletionStage<TaskReply> stopAsync(TaskRequest request) {
      return CompletableFuture.completedFuture(stop_(request));
    }

    @Override
    public final ServiceDefinition bindService() {
      return ServiceDefinition.builder(SERVICE_PATH)
          .name(SERVICE_NAME)
          .version("0.0.0")
          .description("As in containerd's task shim: Start meets ServiceLifecycle.start(), Wait meets Object.wait().")
          .protoDescriptor(TaskRunar.getServiceDescriptor())
          .lifecycle(this)
          .unary(METHOD_START, (request, context) -> startAsync_(request))
          .unary(METHOD_START_ASYNC, (request, context) -> startAsyncAsync(request))
          .unary(METHOD_WAIT, (request, context) -> waitAsync(request))
          .unary(METHOD_SHUTDOWN, (request, context) -> shutdownAsync(request))
          .unary(METHOD_STOP, (request, context) -> stopAsync(request))
          .build();
    }
  }

  /**
   * A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to read) and throws {@code StatusException} on failure. Immutable: {@code with...} methods return a copy.
   */
  public static final class TaskBlockingStub extends AbstractStub<TaskBlockingStub> {
    private TaskBlockingStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected TaskBlockingStub build(Node node, CallOptions callOptions) {
      return new TaskBlockingStub(node, callOptions);
    }

    /**
     * Calls {@code Start}.
     */
    public TaskReply start_(TaskRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_START, request, getCallOptions());
    }

    /**
     * Calls {@code StartAsync}.
     */
    public TaskReply startAsync(TaskRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_START_ASYNC, request, getCallOptions());
    }

    /**
     * Calls {@code Wait}.
     */
    public TaskReply wait_(TaskRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_WAIT, request, getCallOptions());
    }

    /**
     * Calls {@code Shutdown}.
     */
    public TaskReply shutdown(TaskRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_SHUTDOWN, request, getCallOptions());
    }

    /**
     * Replaced by Shutdown.
     */
    @Deprecated
    public TaskReply stop_(TaskRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_STOP, request, getCallOptions());
    }
  }

  /**
   * A future stub: each call returns at once, with a future of the reply or a {@code Flow.Publisher} of the stream, failing with a {@code StatusException}. Immutable: {@code with...} methods return a copy.
   */
  public static final class TaskFutureStub extends AbstractStub<TaskFutureStub> {
    private TaskFutureStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected TaskFutureStub build(Node node, CallOptions callOptions) {
      return new TaskFutureStub(node, callOptions);
    }

    /**
     * Calls {@code Start}.
     */
    public CompletableFuture<TaskReply> start_(TaskRequest request) {
      return getNode().call(METHOD_START, request, getCallOptions());
    }

    /**
     * Calls {@code StartAsync}.
     */
    public CompletableFuture<TaskReply> startAsync(TaskRequest request) {
      return getNode().call(METHOD_START_ASYNC, request, getCallOptions());
    }

    /**
     * Calls {@code Wait}.
     */
    public CompletableFuture<TaskReply> wait_(TaskRequest request) {
      return getNode().call(METHOD_WAIT, request, getCallOptions());
    }

    /**
     * Calls {@code Shutdown}.
     */
    public CompletableFuture<TaskReply> shutdown(TaskRequest request) {
      return getNode().call(METHOD_SHUTDOWN, request, getCallOptions());
    }

    /**
     * Replaced by Shutdown.
     */
    @Deprecated
    public CompletableFuture<TaskReply> stop_(TaskRequest request) {
      return getNode().call(METHOD_STOP, request, getCallOptions());
    }
  }
}
