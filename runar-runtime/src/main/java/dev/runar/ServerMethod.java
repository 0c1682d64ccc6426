package dev.runar;

import com.google.protobuf.Message;
import java.util.Objects;

/**
 * An action of a {@link ServiceDefinition}: its descriptor and the handler that serves it, unary or
 * streaming as the descriptor's type says (exactly one of the two is set).
 */
record ServerMethod<ReqT extends Message, RespT extends Message>(
    MethodDescriptor<ReqT, RespT> descriptor,
    UnaryHandler<ReqT, RespT> unary,
    StreamingHandler<ReqT, RespT> streaming) {
  ServerMethod {
    Objects.requireNonNull(descriptor, "descriptor");
    if ((unary == null) == (streaming == null)) {
      throw new IllegalArgumentException("exactly one handler");
    }
  }

  boolean isUnary() {
    return unary != null;
  }
}
