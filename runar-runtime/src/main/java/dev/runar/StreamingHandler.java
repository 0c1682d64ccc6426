package dev.runar;

import com.google.protobuf.Message;
import java.util.concurrent.Flow;

/**
 * Serves one streaming action (client, server or bidirectional streaming). Receives the caller's
 * requests as a publisher and returns the publisher of its responses; both honour demand, so a slow
 * consumer on either side slows its producer. Runs on the node's service executor. A response
 * publisher that fails with a {@link StatusException} ends the call with that status.
 *
 * <p>Generated server bases implement this for you; hand-written services rarely need it.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
@FunctionalInterface
public interface StreamingHandler<ReqT extends Message, RespT extends Message> {
  Flow.Publisher<RespT> handle(Flow.Publisher<ReqT> requests, CallContext context) throws Exception;
}
