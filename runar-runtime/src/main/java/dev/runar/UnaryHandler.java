package dev.runar;

import com.google.protobuf.Message;
import java.util.concurrent.CompletionStage;

/**
 * Serves one unary action. Runs on the node's service executor (never on an I/O thread). Return a
 * stage that completes with the reply, or with a {@link StatusException} to fail the call with that
 * status; anything else thrown fails the call with {@link Status.Code#INTERNAL}.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
@FunctionalInterface
public interface UnaryHandler<ReqT extends Message, RespT extends Message> {
  CompletionStage<RespT> handle(ReqT request, CallContext context) throws Exception;
}
