package dev.runar.examples.clashes;

import com.google.protobuf.Descriptors;
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
 * Runar stubs and server base for {@code edge.clashes.Members}.
 *
 * <p>Every other kind of clash: a keyword, Object's methods, stub and outer-class members.
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: edge/clashes.proto"
)
@Deprecated
public final class MembersRunar {
  /**
   * The path the service is hosted at.
   */
  public static final String SERVICE_PATH = "edge.clashes.Members";

  /**
   * The service's full proto name.
   */
  public static final String SERVICE_NAME = "edge.clashes.Members";

  /**
   * The path callers address {@code Default} at.
   */
  public static final String PATH_DEFAULT = "edge.clashes.Members/Default";

  /**
   * The path callers address {@code HashCode} at.
   */
  public static final String PATH_HASH_CODE = "edge.clashes.Members/HashCode";

  /**
   * The path callers address {@code Build} at.
   */
  public static final String PATH_BUILD = "edge.clashes.Members/Build";

  /**
   * The path callers address {@code WithDeadlineAfter} at.
   */
  public static final String PATH_WITH_DEADLINE_AFTER = "edge.clashes.Members/WithDeadlineAfter";

  /**
   * The path callers address {@code GetServiceDescriptor} at.
   */
  public static final String PATH_GET_SERVICE_DESCRIPTOR = "edge.clashes.Members/GetServiceDescriptor";

  /**
   * The path callers address {@code BindService} at.
   */
  public static final String PATH_BIND_SERVICE = "edge.clashes.Members/BindService";

  /**
   * Describes {@code Default}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_DEFAULT = MethodDescriptor.unary(SERVICE_PATH, "Default", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  /**
   * Describes {@code HashCode}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_HASH_CODE = MethodDescriptor.unary(SERVICE_PATH, "HashCode", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  /**
   * Describes {@code Build}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_BUILD = MethodDescriptor.create(MethodDescriptor.MethodType.SERVER_STREAMING, SERVICE_PATH, "Build", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  /**
   * Describes {@code WithDeadlineAfter}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_WITH_DEADLINE_AFTER = MethodDescriptor.create(MethodDescriptor.MethodType.CLIENT_STREAMING, SERVICE_PATH, "WithDeadlineAfter", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  /**
   * Describes {@code GetServiceDescriptor}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_GET_SERVICE_DESCRIPTOR = MethodDescriptor.unary(SERVICE_PATH, "GetServiceDescriptor", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  /**
   * Describes {@code BindService}.
   */
  public static final MethodDescriptor<TaskRequest, TaskReply> METHOD_BIND_SERVICE = MethodDescriptor.create(MethodDescriptor.MethodType.BIDI_STREAMING, SERVICE_PATH, "BindService", TaskRequest.getDefaultInstance(), TaskReply.getDefaultInstance());

  private MembersRunar() {
  }

  /**
   * The proto descriptor of {@code edge.clashes.Members}, with its file and every file it imports: what reflection, gateways and {@code $registry/services/descriptors} read.
   */
  public static Descriptors.ServiceDescriptor getServiceDescriptor() {
    return Clashes.getDescriptor().findServiceByName("Members");
  }

  /**
   * Creates a blocking stub that calls the service through {@code node}.
   */
  @Deprecated
  public static MembersBlockingStub newBlockingStub(Node node) {
    return new MembersBlockingStub(node, CallOptions.DEFAULT);
  }

  /**
   * Creates a future stub that calls the service through {@code node}.
   */
  @Deprecated
  public static MembersFutureStub newFutureStub(Node node) {
    return new MembersFutureStub(node, CallOptions.DEFAULT);
  }

  /**
   * Base class for implementations of {@code Members}. Override each rpc in direct style (return the reply; runs on the node's service executor) or in async style (the {@code ...Async} method, returning a stage). An rpc left alone answers UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.
   */
  @Deprecated
  public abstract static class MembersImplBase implements BindableService, ServiceLifecycle {
    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public TaskReply default_(TaskRequest request) {
      throw ServerCalls.unimplemented(METHOD_DEFAULT);
    }

    /**
     * Async style for {@code Default}; by default runs {@link #default_}.
     */
    public CompletionStage<TaskReply> defaultAsync(TaskRequest request) {
      return CompletableFuture.completedFuture(default_(request));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public TaskReply hashCode_(TaskRequest request) {
      throw ServerCalls.unimplemented(METHOD_HASH_CODE);
    }

    /**
     * Async style for {@code HashCode}; by default runs {@link #hashCode_}.
     */
    public CompletionStage<TaskReply> hashCodeAsync(TaskRequest request) {
      return CompletableFuture.completedFuture(hashCode_(request));
    }

    /**
     * Direct style: send each response to {@code responses} (each send waits for the consumer); return to end the stream, throw a {@code StatusException} to fail it. {@code CallContext.current()} describes the call.
     */
    public void build_(TaskRequest request, StreamSink<TaskReply> responses) throws Exception {
      throw ServerCalls.unimplemented(METHOD_BUILD);
    }

    /**
     * Async style for {@code Build}; by default runs {@link #build_}.
     */
    public Flow.Publisher<TaskReply> buildAsync(TaskRequest request) {
      return ServerCalls.sink(responses -> build_(request, responses));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public TaskReply withDeadlineAfter_(BlockingStream<TaskRequest> requests) throws Exception {
      throw ServerCalls.unimplemented(METHOD_WITH_DEADLINE_AFTER);
    }

    /**
     * Async style for {@code WithDeadlineAfter}; by default runs {@link #withDeadlineAfter_}.
     */
    public CompletionStage<TaskReply> withDeadlineAfterAsync(Flow.Publisher<TaskRequest> requests)
        throws Exception {
      return CompletableFuture.completedFuture(withDeadlineAfter_(ServerCalls.blocking(requests)));
    }

    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public TaskReply getServiceDescriptor_(TaskRequest request) {
      throw ServerCalls.unimplemented(METHOD_GET_SERVICE_DESCRIPTOR);
    }

    /**
     * Async style for {@code GetServiceDescriptor}; by default runs {@link #getServiceDescriptor_}.
     */
    public CompletionStage<TaskReply> getServiceDescriptorAsync(TaskRequest request) {
      return CompletableFuture.completedFuture(getServiceDescriptor_(request));
    }

    /**
     * Direct style: send each response to {@code responses} (each send waits for the consumer); return to end the stream, throw a {@code StatusException} to fail it. {@code CallContext.current()} describes the call.
     */
    public void bindService_(BlockingStream<TaskRequest> requests, StreamSink<TaskReply> responses)
        throws Exception {
      throw ServerCalls.unimplemented(METHOD_BIND_SERVICE);
    }

    /**
     * Async style for {@code BindService}; by default runs {@link #bindService_}.
     */
    public Flow.Publisher<TaskReply> bindServiceAsync(Flow.Publisher<TaskRequest> requests) {
      return ServerCalls.sink(responses -> bindService_(ServerCalls.blocking(requests), responses));
    }

    @Override
    public final ServiceDefinition bindService() {
      return ServiceDefinition.builder(SERVICE_PATH)
          .name(SERVICE_NAME)
          .version("0.0.0")
          .description("Every other kind of clash: a keyword, Object's methods, stub and outer-class members.")
          .protoDescriptor(MembersRunar.getServiceDescriptor())
          .lifecycle(this)
          .unary(METHOD_DEFAULT, (request, context) -> defaultAsync(request))
          .unary(METHOD_HASH_CODE, (request, context) -> hashCodeAsync(request))
          .streaming(METHOD_BUILD, (requests, context) -> buildAsync(ServerCalls.single(requests)))
          .streaming(METHOD_WITH_DEADLINE_AFTER, (requests, context) -> Publishers.fromStage(withDeadlineAfterAsync(requests)))
          .unary(METHOD_GET_SERVICE_DESCRIPTOR, (request, context) -> getServiceDescriptorAsync(request))
          .streaming(METHOD_BIND_SERVICE, (requests, context) -> bindServiceAsync(requests))
          .build();
    }
  }

  /**
   * A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to read) and throws {@code StatusException} on failure. Immutable: {@code with...} methods return a copy.
   */
  @Deprecated
  public static final class MembersBlockingStub extends AbstractStub<MembersBlockingStub> {
    private MembersBlockingStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected MembersBlockingStub build(Node node, CallOptions callOptions) {
      return new MembersBlockingStub(node, callOptions);
    }

    /**
     * Calls {@code Default}.
     */
    public TaskReply default_(TaskRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_DEFAULT, request, getCallOptions());
    }

    /**
     * Calls {@code HashCode}.
     */
    public TaskReply hashCode_(TaskRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_HASH_CODE, request, getCallOptions());
    }

    /**
     * Calls {@code Build}.
     */
    public BlockingStream<TaskReply> build_(TaskRequest request) {
      return ClientCalls.blockingServerStream(getNode(), METHOD_BUILD, request, getCallOptions());
    }

    /**
     * Calls {@code WithDeadlineAfter}.
     */
    public TaskReply withDeadlineAfter_(Iterable<TaskRequest> requests) {
      return ClientCalls.blockingClientStream(getNode(), METHOD_WITH_DEADLINE_AFTER, requests, getCallOptions());
    }

    /**
     * Calls {@code GetServiceDescriptor}.
     */
    public TaskReply getServiceDescriptor_(TaskRequest request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_GET_SERVICE_DESCRIPTOR, request, getCallOptions());
    }

    /**
     * Calls {@code BindService}.
     */
    public BlockingStream<TaskReply> bindService_(Iterable<TaskRequest> requests) {
      return ClientCalls.blockingBidiStream(getNode(), METHOD_BIND_SERVICE, requests, getCallOptions());
    }
  }

  /**
   * A future stub: each call returns at once, with a future of the reply or a {@code Flow.Publisher} of the stream, failing with a {@code StatusException}. Immutable: {@code with...} methods return a copy.
   */
  @Deprecated
  public static final class MembersFutureStub extends AbstractStub<MembersFutureStub> {
    private MembersFutureStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected MembersFutureStub build(Node node, CallOptions callOptions) {
      return new MembersFutureStub(node, callOptions);
    }

    /**
     * Calls {@code Default}.
     */
    public CompletableFuture<TaskReply> default_(TaskRequest request) {
      return getNode().call(METHOD_DEFAULT, request, getCallOptions());
    }

    /**
     * Calls {@code HashCode}.
     */
    public CompletableFuture<TaskReply> hashCode_(TaskRequest request) {
      return getNode().call(METHOD_HASH_CODE, request, getCallOptions());
    }

    /**
     * Calls {@code Build}.
     */
    public Flow.Publisher<TaskReply> build_(TaskRequest request) {
      return ClientCalls.serverStream(getNode(), METHOD_BUILD, request, getCallOptions());
    }

    /**
     * Calls {@code WithDeadlineAfter}.
     */
    public CompletableFuture<TaskReply> withDeadlineAfter_(Flow.Publisher<TaskRequest> requests) {
      return ClientCalls.clientStream(getNode(), METHOD_WITH_DEADLINE_AFTER, requests, getCallOptions());
    }

    /**
     * Calls {@code GetServiceDescriptor}.
     */
    public CompletableFuture<TaskReply> getServiceDescriptor_(TaskRequest request) {
      return getNode().call(METHOD_GET_SERVICE_DESCRIPTOR, request, getCallOptions());
    }

    /**
     * Calls {@code BindService}.
     */
    public Flow.Publisher<TaskReply> bindService_(Flow.Publisher<TaskRequest> requests) {
      return getNode().stream(METHOD_BIND_SERVICE, requests, getCallOptions());
    }
  }
}
