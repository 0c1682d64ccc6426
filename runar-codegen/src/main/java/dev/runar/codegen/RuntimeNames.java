package dev.runar.codegen;

import com.palantir.javapoet.ClassName;

/**
 * The runtime types generated code refers to. Named here, not imported: the generator has no
 * dependency on the runtime, so these names are its contract with {@code runar-runtime}.
 */
final class RuntimeNames {
  static final String RUNTIME = "dev.runar";
  static final String STUB = "dev.runar.stub";

  static final ClassName NODE = ClassName.get(RUNTIME, "Node");
  static final ClassName CALL_OPTIONS = ClassName.get(RUNTIME, "CallOptions");
  static final ClassName METHOD_DESCRIPTOR = ClassName.get(RUNTIME, "MethodDescriptor");
  static final ClassName METHOD_TYPE = METHOD_DESCRIPTOR.nestedClass("MethodType");
  static final ClassName BLOCKING_STREAM = ClassName.get(RUNTIME, "BlockingStream");
  static final ClassName STREAM_SINK = ClassName.get(RUNTIME, "StreamSink");
  static final ClassName SERVICE_DEFINITION = ClassName.get(RUNTIME, "ServiceDefinition");
  static final ClassName BINDABLE_SERVICE = ClassName.get(RUNTIME, "BindableService");
  static final ClassName SERVICE_LIFECYCLE = ClassName.get(RUNTIME, "ServiceLifecycle");
  static final ClassName TOPIC = ClassName.get(RUNTIME, "Topic");
  static final ClassName ABSTRACT_STUB = ClassName.get(STUB, "AbstractStub");
  static final ClassName CLIENT_CALLS = ClassName.get(STUB, "ClientCalls");
  static final ClassName SERVER_CALLS = ClassName.get(STUB, "ServerCalls");
  static final ClassName PUBLISHERS = ClassName.get(STUB, "Publishers");
  static final ClassName FLOW_PUBLISHER =
      ClassName.get("java.util.concurrent", "Flow", "Publisher");

  static final ClassName PROTO_SERVICE_DESCRIPTOR =
      ClassName.get("com.google.protobuf", "Descriptors", "ServiceDescriptor");

  static final ClassName COMPLETION_STAGE =
      ClassName.get("java.util.concurrent", "CompletionStage");
  static final ClassName COMPLETABLE_FUTURE =
      ClassName.get("java.util.concurrent", "CompletableFuture");

  private RuntimeNames() {}
}
