package dev.runar.stub;

import com.google.protobuf.Message;
import dev.runar.CallOptions;
import dev.runar.MethodDescriptor;
import dev.runar.Node;
import dev.runar.Status;
import dev.runar.StatusException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

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
    CompletableFuture<RespT> reply = node.call(method, request, options);
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

  private static StatusException cancelled(String description, Exception cause) {
    return Status.CANCELLED.withDescription(description).withCause(cause).asException();
  }

  private static StatusException asStatusException(Throwable t) {
    Status status = Status.fromThrowable(t);
    // A fresh exception, so the stack trace shows the caller's thread, with the original as cause.
    return new StatusException(status.cause() == null ? status.withCause(t.getCause()) : status);
  }
}
