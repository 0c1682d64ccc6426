package dev.runar.examples.numbers;

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
 * Runar stubs and server base for {@code numbers.Numbers}.
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: streaming/numbers.proto"
)
public final class NumbersRunar {
  /**
   * The path the service is hosted at.
   */
  public static final String SERVICE_PATH = "numbers.Numbers";

  /**
   * The service's full proto name.
   */
  public static final String SERVICE_NAME = "numbers.Numbers";

  /**
   * The path callers address {@code Square} at.
   */
  public static final String PATH_SQUARE = "numbers.Numbers/Square";

  /**
   * The path callers address {@code Count} at.
   */
  public static final String PATH_COUNT = "numbers.Numbers/Count";

  /**
   * The path callers address {@code Sum} at.
   */
  public static final String PATH_SUM = "numbers.Numbers/Sum";

  /**
   * The path callers address {@code Double} at.
   */
  public static final String PATH_DOUBLE = "numbers.Numbers/Double";

  /**
   * Describes {@code Square}.
   */
  public static final MethodDescriptor<Number, Number> METHOD_SQUARE = MethodDescriptor.unary(SERVICE_PATH, "Square", Number.getDefaultInstance(), Number.getDefaultInstance());

  /**
   * Describes {@code Count}.
   */
  public static final MethodDescriptor<CountRequest, Number> METHOD_COUNT = MethodDescriptor.create(MethodDescriptor.MethodType.SERVER_STREAMING, SERVICE_PATH, "Count", CountRequest.getDefaultInstance(), Number.getDefaultInstance());

  /**
   * Describes {@code Sum}.
   */
  public static final MethodDescriptor<Number, Number> METHOD_SUM = MethodDescriptor.create(MethodDescriptor.MethodType.CLIENT_STREAMING, SERVICE_PATH, "Sum", Number.getDefaultInstance(), Number.getDefaultInstance());

  /**
   * Describes {@code Double}.
   */
  public static final MethodDescriptor<Number, Number> METHOD_DOUBLE = MethodDescriptor.create(MethodDescriptor.MethodType.BIDI_STREAMING, SERVICE_PATH, "Double", Number.getDefaultInstance(), Number.getDefaultInstance());

  private NumbersRunar() {
  }

  /**
   * The proto descriptor of {@code numbers.Numbers}, with its file and every file it imports: what reflection, gateways and {@code $registry/services/descriptors} read.
   */
  public static Descriptors.ServiceDescriptor getServiceDescriptor() {
    return NumbersOuterClass.getDescriptor().findServiceByName("Numbers");
  }

  /**
   * Creates a blocking stub that calls the service through {@code node}.
   */
  public static NumbersBlockingStub newBlockingStub(Node node) {
    return new NumbersBlockingStub(node, CallOptions.DEFAULT);
  }

  /**
   * Creates a future stub that calls the service through {@code node}.
   */
  public static NumbersFutureStub newFutureStub(Node node) {
    return new NumbersFutureStub(node, CallOptions.DEFAULT);
  }

  /**
   * Base class for implementations of {@code Numbers}. Override each rpc in direct style (return the reply; runs on the node's service executor) or in async style (the {@code ...Async} method, returning a stage). An rpc left alone answers UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.
   */
  public abstract static class NumbersImplBase implements BindableService, ServiceLifecycle {
    /**
     * Replies with one number.
     *
     * <p>Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public Number square(Number request) {
      throw ServerCalls.unimplemented(METHOD_SQUARE);
    }

    /**
     * Async style for {@code Square}; by default runs {@link #square}.
     */
    public CompletionStage<Number> squareAsync(Number request) {
      return CompletableFuture.completedFuture(square(request));
    }

    /**
     * Streams the numbers from 1 to the count.
     *
     * <p>Direct style: send each response to {@code responses} (each send waits for the consumer); return to end the stream, throw a {@code StatusException} to fail it. {@code CallContext.current()} describes the call.
     */
    public void count(CountRequest request, StreamSink<Number> responses) throws Exception {
      throw ServerCalls.unimplemented(METHOD_COUNT);
    }

    /**
     * Async style for {@code Count}; by default runs {@link #count}.
     */
    public Flow.Publisher<Number> countAsync(CountRequest request) {
      return ServerCalls.sink(responses -> count(request, responses));
    }

    /**
     * Sums a stream of numbers.
     *
     * <p>Direct style: return the reply or throw a {@code StatusException}. {@code CallContext.current()} describes the call.
     */
    public Number sum(BlockingStream<Number> requests) throws Exception {
      throw ServerCalls.unimplemented(METHOD_SUM);
    }

    /**
     * Async style for {@code Sum}; by default runs {@link #sum}.
     */
    public CompletionStage<Number> sumAsync(Flow.Publisher<Number> requests) throws Exception {
      return CompletableFuture.completedFuture(sum(ServerCalls.blocking(requests)));
    }

    /**
     * Echoes each number back, doubled.
     *
     * <p>Direct style: send each response to {@code responses} (each send waits for the consumer); return to end the stream, throw a {@code StatusException} to fail it. {@code CallContext.current()} describes the call.
     */
    public void double_(BlockingStream<Number> requests, StreamSink<Number> responses) throws
        Exception {
      throw ServerCalls.unimplemented(METHOD_DOUBLE);
    }

    /**
     * Async style for {@code Double}; by default runs {@link #double_}.
     */
    public Flow.Publisher<Number> doubleAsync(Flow.Publisher<Number> requests) {
      return ServerCalls.sink(responses -> double_(ServerCalls.blocking(requests), responses));
    }

    @Override
    public final ServiceDefinition bindService() {
      return ServiceDefinition.builder(SERVICE_PATH)
          .name(SERVICE_NAME)
          .version("0.0.0")
          .description("")
          .protoDescriptor(NumbersRunar.getServiceDescriptor())
          .lifecycle(this)
          .unary(METHOD_SQUARE, (request, context) -> squareAsync(request))
          .streaming(METHOD_COUNT, (requests, context) -> countAsync(ServerCalls.single(requests)))
          .streaming(METHOD_SUM, (requests, context) -> Publishers.fromStage(sumAsync(requests)))
          .streaming(METHOD_DOUBLE, (requests, context) -> doubleAsync(requests))
          .build();
    }
  }

  /**
   * A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to read) and throws {@code StatusException} on failure. Immutable: {@code with...} methods return a copy.
   */
  public static final class NumbersBlockingStub extends AbstractStub<NumbersBlockingStub> {
    private NumbersBlockingStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected NumbersBlockingStub build(Node node, CallOptions callOptions) {
      return new NumbersBlockingStub(node, callOptions);
    }

    /**
     * Replies with one number.
     */
    public Number square(Number request) {
      return ClientCalls.blockingUnary(getNode(), METHOD_SQUARE, request, getCallOptions());
    }

    /**
     * Streams the numbers from 1 to the count.
     */
    public BlockingStream<Number> count(CountRequest request) {
      return ClientCalls.blockingServerStream(getNode(), METHOD_COUNT, request, getCallOptions());
    }

    /**
     * Sums a stream of numbers.
     */
    public Number sum(Iterable<Number> requests) {
      return ClientCalls.blockingClientStream(getNode(), METHOD_SUM, requests, getCallOptions());
    }

    /**
     * Echoes each number back, doubled.
     */
    public BlockingStream<Number> double_(Iterable<Number> requests) {
      return ClientCalls.blockingBidiStream(getNode(), METHOD_DOUBLE, requests, getCallOptions());
    }
  }

  /**
   * A future stub: each call returns at once, with a future of the reply or a {@code Flow.Publisher} of the stream, failing with a {@code StatusException}. Immutable: {@code with...} methods return a copy.
   */
  public static final class NumbersFutureStub extends AbstractStub<NumbersFutureStub> {
    private NumbersFutureStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected NumbersFutureStub build(Node node, CallOptions callOptions) {
      return new NumbersFutureStub(node, callOptions);
    }

    /**
     * Replies with one number.
     */
    public CompletableFuture<Number> square(Number request) {
      return getNode().call(METHOD_SQUARE, request, getCallOptions());
    }

    /**
     * Streams the numbers from 1 to the count.
     */
    public Flow.Publisher<Number> count(CountRequest request) {
      return ClientCalls.serverStream(getNode(), METHOD_COUNT, request, getCallOptions());
    }

    /**
     * Sums a stream of numbers.
     */
    public CompletableFuture<Number> sum(Flow.Publisher<Number> requests) {
      return ClientCalls.clientStream(getNode(), METHOD_SUM, requests, getCallOptions());
    }

    /**
     * Echoes each number back, doubled.
     */
    public Flow.Publisher<Number> double_(Flow.Publisher<Number> requests) {
      return getNode().stream(METHOD_DOUBLE, requests, getCallOptions());
    }
  }
}
