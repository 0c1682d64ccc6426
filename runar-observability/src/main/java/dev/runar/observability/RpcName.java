package dev.runar.observability;

import dev.runar.MethodDescriptor;

/**
 * A call's service and method as OpenTelemetry's RPC conventions name them ({@code rpc.service},
 * {@code rpc.method}): for {@code [network:]sensors/room/read}, {@code sensors/room} and {@code
 * read}; {@code fullName}, {@code service/method}, is the span name the conventions ask for.
 * Immutable.
 */
record RpcName(String service, String method, String fullName) {
  RpcName(String service, String method) {
    this(service, method, service + '/' + method);
  }

  /** The name of a call a client makes to {@code path}, as it gave it. */
  static RpcName ofPath(String path) {
    int network = path.indexOf(':');
    int action = path.lastIndexOf('/');
    if (action <= network) {
      return new RpcName(path.substring(network + 1), "");
    }
    return new RpcName(path.substring(network + 1, action), path.substring(action + 1));
  }

  /** The name of a call a node serves. */
  static RpcName of(MethodDescriptor<?, ?> method) {
    return new RpcName(method.servicePath(), method.actionName());
  }
}
