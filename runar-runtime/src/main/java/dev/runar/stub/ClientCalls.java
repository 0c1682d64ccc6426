package dev.runar.stub;

import com.google.protobuf.Message;
import dev.runar.BlockingStream;
import dev.runar.CallOptions;
import dev.runar.MethodDescriptor;
import dev.runar.Node;
import dev.runar.Status;
import dev.runar.StatusException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

/** Call helpers for generated client stubs. */
public final class ClientCalls {
  private ClientCalls() {}

  /**
   * Calls {@code method} and waits for the reply. The wait is bounded by the call's deadline, which
   * the node enforces. Interrupting the waiting thread cancels the call.
   *
   * @throws StatusException with the status the call failed with
   */
  public static <ReqT extends Message, RespT extends Message> RespT blockingUnary(
      Node node, MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    return await(node.call(method, request, options), method);
  }

  private static <RespT> RespT await(
      CompletableFuture<RespT> reply, MethodDescriptor<?, ?> method) {
    try {
      return reply.get();
    } catch (ExecutionException e) {
      throw asStatusException(e);
    } catch (InterruptedException e) {
      reply.cancel(false);
      Thread.currentThread().interrupt();
      throw cancelled("interrupted waiting for " + method.path(), e);
    } catch (CancellationException e) {
      throw cancelled("call to " + method.path() + " was cancelled", e);
    }
  }

  /** A server-streaming call whose responses are read by blocking. */
  public static <ReqT extends Message, RespT extends Message>
      BlockingStream<RespT> blockingServerStream(
          Node node, MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    return BlockingSubscriber.subscribe(node.stream(method, Publishers.just(request), options));
  }

  /** A bidirectional call sending {@code requests}, whose responses are read by blocking. */
  public static <ReqT extends Message, RespT extends Message>
      BlockingStream<RespT> blockingBidiStream(
          Node node,
          MethodDescriptor<ReqT, RespT> method,
          Iterable<ReqT> requests,
          CallOptions options) {
    return BlockingSubscriber.subscribe(
        node.stream(method, Publishers.fromIterable(requests), options));
  }

  /** A client-streaming call sending {@code requests}; waits for the one reply. */
  public static <ReqT extends Message, RespT extends Message> RespT blockingClientStream(
      Node node,
      MethodDescriptor<ReqT, RespT> method,
      Iterable<ReqT> requests,
      CallOptions options) {
    return await(clientStream(node, method, Publishers.fromIterable(requests), options), method);
  }

  /** A server-streaming call. */
  public static <ReqT extends Message, RespT extends Message> Flow.Publisher<RespT> serverStream(
      Node node, MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions options) {
    return node.stream(method, Publishers.just(request), options);
  }

  /** A client-streaming call: the future of its one reply. */
  public static <ReqT extends Message, RespT extends Message> CompletableFuture<RespT> clientStream(
      Node node,
      MethodDescriptor<ReqT, RespT> method,
      Flow.Publisher<ReqT> requests,
      CallOptions options) {
    return Publishers.single(node.stream(method, requests, options));
  }

  private static StatusException cancelled(String description, Exception cause) {
    return Status.CANCELLED.withDescription(description).withCause(cause).asException();
  }

  private static StatusException asStatusException(Throwable t) {
    Status status = Status.fromThrowable(t);
    // A fresh exception, so the stack trace shows the caller's thread, with the original as cause.
    return new StatusException(
        status.cause() == null ? status.withCause(t.getCause()) : status,
        Status.trailersFromThrowable(t));
  }
}
