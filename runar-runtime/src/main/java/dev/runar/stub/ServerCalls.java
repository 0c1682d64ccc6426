package dev.runar.stub;

import com.google.protobuf.Message;
import dev.runar.BlockingStream;
import dev.runar.MethodDescriptor;
import dev.runar.Status;
import dev.runar.StatusException;
import java.util.concurrent.Flow;

/** Helpers for generated server bases. */
public final class ServerCalls {
  private ServerCalls() {}

  /** The exception an rpc the implementation did not override fails with. */
  public static StatusException unimplemented(MethodDescriptor<?, ?> method) {
    return Status.UNIMPLEMENTED
        .withDescription(method.path() + " is not implemented by this service")
        .asException();
  }

  /**
   * The one request of a server-streaming call, read by blocking (on the handler's thread).
   *
   * @throws StatusException INVALID_ARGUMENT unless exactly one request arrives
   */
  public static <T extends Message> T single(Flow.Publisher<T> requests) {
    try (BlockingSubscriber<T> stream = BlockingSubscriber.subscribe(requests)) {
      if (!stream.hasNext()) {
        throw Status.INVALID_ARGUMENT
            .withDescription("a server-streaming call needs one request")
            .asException();
      }
      T request = stream.next();
      if (stream.hasNext()) {
        throw Status.INVALID_ARGUMENT
            .withDescription("a server-streaming call takes one request")
            .asException();
      }
      return request;
    }
  }

  /** The requests of a client- or bidi-streaming call, for a direct-style method to read. */
  public static <T extends Message> BlockingStream<T> blocking(Flow.Publisher<T> requests) {
    return BlockingSubscriber.subscribe(requests);
  }

  /** The responses a direct-style method writes to its sink, as a publisher. */
  public static <T extends Message> Flow.Publisher<T> sink(SinkPublisher.Body<T> body) {
    return new SinkPublisher<>(body);
  }
}
