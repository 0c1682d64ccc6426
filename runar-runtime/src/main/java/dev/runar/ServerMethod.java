package dev.runar;

import com.google.protobuf.Message;
import java.util.Objects;

/** An action of a {@link ServiceDefinition}: its descriptor and the handler that serves it. */
record ServerMethod<ReqT extends Message, RespT extends Message>(
    MethodDescriptor<ReqT, RespT> descriptor, UnaryHandler<ReqT, RespT> handler) {
  ServerMethod {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(handler, "handler");
  }
}
