package dev.runar.examples.opt;

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
 * Runar stubs and server base for {@code opt.Search}.
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: optional3.proto"
)
public final class SearchRunar {
  /**
   * The path the service is hosted at.
   */
  public static final String SERVICE_PATH = "opt.Search";

  /**
   * The service's full proto name.
   */
  public static final String SERVICE_NAME = "opt.Search";

  /**
   * The path callers address {@code Find} at.
   */
  public static final String PATH_FIND = "opt.Search/Find";

  /**
   * Describes {@code Find}.
   */
  public static final MethodDescriptor<Optional3.Query, Optional3.Answer> METHOD_FIND = MethodDescriptor.unary(SERVICE_PATH, "Find", Optional3.Query.getDefaultInstance(), Optional3.Answer.getDefaultInstance());

  private SearchRunar() {
  }

  /**
   * The proto descriptor of {@code opt.Search}, with its file and every file it imports: what reflection, gateways and {@code $registry/services/descriptors} read.
   */
  public static Descriptors.ServiceDescriptor getServiceDescriptor() {
    return Optional3.getDescriptor().findServiceByName("Search");
  }

  /**
   * Creates a blocking stub that calls the service through {@code node}.
   */
  public static SearchBlockingStub newBlockingStub(Node node) {
    return new SearchBlockingStub(node, CallOptions.DEFAULT);
  }

  /**
   * Creates a future stub that calls the service through {@code node}.
   */
  public static SearchFutureStub newFutureStub(Node node) {
    return new SearchFutureStub(node, CallOptions.DEFAULT);
  }

  /**
   * Base class for implementations of {@code Search}. Override each rpc in direct style (return the reply; runs on the node's service executor) or in async style (the {@code ...Async} method, returning a stage). An rpc left alone answers UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.
   */
  public abstract static class SearchImplBase implements BindableService, ServiceLifecycle {
    /**
     * Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public Optional3.Answer find(Optional3.Query request) {
      throw ServerCalls.unimplemented(METHOD_FIND);
    }

    /**
     * Async style for {@code Find}; by default runs {@link #find}.
     */
    public CompletionStage<Optional3.Answer> findAsync(Optional3.Query request) {
      return CompletableFuture.completedFuture(find(request));
    }

    @Override
    public final ServiceDefinition bindService() {
      return ServiceDefinition.builder(SERVICE_PATH)
          .name(SERVICE_NAME)
          .version("0.0.0")
          .description("")
          .protoDescriptor(SearchRunar.getServiceDescriptor())
          .lifecycle(this)
          .unary(METHOD_FIND, (request, context) -> findAsync(request))
          .build();
    }
  }

  /**
   * A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to read) and throws {@code StatusException} on failure. Immutable: {@code with...} methods return a copy.
   */
  public static final class SearchBlockingStub extends AbstractStub<SearchBlockingStub> {
    private SearchBlockingStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected SearchBlockingStub build(Node node, CallOptions callOptions) {
      return new SearchBlockingStub(node, callOptions);
    }

    /**
     * Calls {@code Find}.
     */
    public Optional3.Answer find(Optional3.Query request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_FIND, request, getCallOptions());
    }
  }

  /**
   * A future stub: each call returns at once, with a future of the reply or a {@code Flow.Publisher} of the stream, failing with a {@code StatusException}. Immutable: {@code with...} methods return a copy.
   */
  public static final class SearchFutureStub extends AbstractStub<SearchFutureStub> {
    private SearchFutureStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected SearchFutureStub build(Node node, CallOptions callOptions) {
      return new SearchFutureStub(node, callOptions);
    }

    /**
     * Calls {@code Find}.
     */
    public CompletableFuture<Optional3.Answer> find(Optional3.Query request) {
      return getNode().call(METHOD_FIND, request, getCallOptions());
    }
  }
}
