package edge;

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
import dev.runar.stub.ServerCalls;
import java.util.concurrent.Flow;
import javax.annotation.processing.Generated;

/**
 * Runar stubs and server base for {@code edge.Chatter}.
 */
@Generated(
    value = "protoc-gen-runar",
    comments = "Source: edge/keywords.proto"
)
public final class ChatterRunar {
  /**
   * The path the service is hosted at.
   */
  public static final String SERVICE_PATH = "edge.Chatter";

  /**
   * The service's full proto name.
   */
  public static final String SERVICE_NAME = "edge.Chatter";

  /**
   * The path callers address {@code Talk} at.
   */
  public static final String PATH_TALK = "edge.Chatter/Talk";

  /**
   * Describes {@code Talk}.
   */
  public static final MethodDescriptor<KeywordsOuterClass.Node, KeywordsOuterClass.Node> METHOD_TALK = MethodDescriptor.create(MethodDescriptor.MethodType.BIDI_STREAMING, SERVICE_PATH, "Talk", KeywordsOuterClass.Node.getDefaultInstance(), KeywordsOuterClass.Node.getDefaultInstance());

  private ChatterRunar() {
  }

  /**
   * The proto descriptor of {@code edge.Chatter}, with its file and every file it imports: what reflection, gateways and {@code $registry/services/descriptors} read.
   */
  public static Descriptors.ServiceDescriptor getServiceDescriptor() {
    return KeywordsOuterClass.getDescriptor().findServiceByName("Chatter");
  }

  /**
   * Creates a blocking stub that calls the service through {@code node}.
   */
  public static ChatterBlockingStub newBlockingStub(Node node) {
    return new ChatterBlockingStub(node, CallOptions.DEFAULT);
  }

  /**
   * Creates a future stub that calls the service through {@code node}.
   */
  public static ChatterFutureStub newFutureStub(Node node) {
    return new ChatterFutureStub(node, CallOptions.DEFAULT);
  }

  /**
   * Base class for implementations of {@code Chatter}. Override each rpc in direct style (return the reply; runs on the node's service executor) or in async style (the {@code ...Async} method, returning a stage). An rpc left alone answers UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.
   */
  public abstract static class ChatterImplBase implements BindableService, ServiceLifecycle {
    /**
     * Talks back.
     *
     * <p>Direct style: send each response to {@code responses} (each send waits for the consumer); return to end the stream, throw a {@code StatusException} to fail it. {@code CallContext.current()} describes the call.
     */
    public void talk(BlockingStream<KeywordsOuterClass.Node> requests,
        StreamSink<KeywordsOuterClass.Node> responses) throws Exception {
      throw ServerCalls.unimplemented(METHOD_TALK);
    }

    /**
     * Async style for {@code Talk}; by default runs {@link #talk}.
     */
    public Flow.Publisher<KeywordsOuterClass.Node> talkAsync(
        Flow.Publisher<KeywordsOuterClass.Node> requests) {
      return ServerCalls.sink(responses -> talk(ServerCalls.blocking(requests), responses));
    }

    @Override
    public final ServiceDefinition bindService() {
      return ServiceDefinition.builder(SERVICE_PATH)
          .name(SERVICE_NAME)
          .version("0.0.0")
          .description("")
          .protoDescriptor(ChatterRunar.getServiceDescriptor())
          .lifecycle(this)
          .streaming(METHOD_TALK, (requests, context) -> talkAsync(requests))
          .build();
    }
  }

  /**
   * A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to read) and throws {@code StatusException} on failure. Immutable: {@code with...} methods return a copy.
   */
  public static final class ChatterBlockingStub extends AbstractStub<ChatterBlockingStub> {
    private ChatterBlockingStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected ChatterBlockingStub build(Node node, CallOptions callOptions) {
      return new ChatterBlockingStub(node, callOptions);
    }

    /**
     * Talks back.
     */
    public BlockingStream<KeywordsOuterClass.Node> talk(
        Iterable<KeywordsOuterClass.Node> requests) {
      return ClientCalls.blockingBidiStream(getNode(), METHOD_TALK, requests, getCallOptions());
    }
  }

  /**
   * A future stub: each call returns at once, with a future of the reply or a {@code Flow.Publisher} of the stream, failing with a {@code StatusException}. Immutable: {@code with...} methods return a copy.
   */
  public static final class ChatterFutureStub extends AbstractStub<ChatterFutureStub> {
    private ChatterFutureStub(Node node, CallOptions callOptions) {
      super(node, callOptions);
    }

    @Override
    protected ChatterFutureStub build(Node node, CallOptions callOptions) {
      return new ChatterFutureStub(node, callOptions);
    }

    /**
     * Talks back.
     */
    public Flow.Publisher<KeywordsOuterClass.Node> talk(
        Flow.Publisher<KeywordsOuterClass.Node> requests) {
      return getNode().stream(METHOD_TALK, requests, getCallOptions());
    }
  }
}
