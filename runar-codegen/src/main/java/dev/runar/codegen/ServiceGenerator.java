package dev.runar.codegen;

import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Generates {@code <Service>Runar} for one proto service: path constants, method descriptors, a
 * server base, a blocking stub and a future stub.
 */
final class ServiceGenerator {
  private static final TypeName STRING = ClassName.get(String.class);

  private final ServiceDescriptor service;
  private final RunarOptions options;
  private final ClassName outer;
  private final List<Rpc> rpcs = new ArrayList<>();

  /** The call shape of an rpc, named as the runtime's {@code MethodDescriptor.MethodType}. */
  private enum Shape {
    UNARY,
    CLIENT_STREAMING,
    SERVER_STREAMING,
    BIDI_STREAMING;

    static Shape of(MethodDescriptor m) {
      if (m.isClientStreaming()) {
        return m.isServerStreaming() ? BIDI_STREAMING : CLIENT_STREAMING;
      }
      return m.isServerStreaming() ? SERVER_STREAMING : UNARY;
    }

    boolean streamsRequests() {
      return this == CLIENT_STREAMING || this == BIDI_STREAMING;
    }

    boolean streamsResponses() {
      return this == SERVER_STREAMING || this == BIDI_STREAMING;
    }
  }

  /** One rpc and the names generated for it. */
  private record Rpc(
      MethodDescriptor proto,
      Shape shape,
      String actionName,
      String constantName,
      String pathConstantName,
      String method,
      String asyncMethod,
      TypeName request,
      TypeName response) {

    boolean deprecated() {
      return proto.getOptions().getDeprecated();
    }
  }

  private ServiceGenerator(ServiceDescriptor service, RunarOptions options) {
    this.service = service;
    this.options = options;
    this.outer =
        ClassName.get(JavaNames.javaPackage(service.getFile()), service.getName() + "Runar");
    Map<String, MethodDescriptor> methods = new HashMap<>();
    for (MethodDescriptor m : service.getMethods()) {
      MethodDescriptor clash = methods.putIfAbsent(JavaNames.rpcMethodName(m.getName()), m);
      if (clash != null) {
        throw new GeneratorException(
            ProtoLocations.describe(m),
            m.getFullName()
                + ": rpcs "
                + clash.getName()
                + " and "
                + m.getName()
                + " both become the Java method "
                + JavaNames.rpcMethodName(m.getName())
                + "(): rename one (Java names are the rpc name in lower camel case)");
      }
    }
    for (MethodDescriptor m : service.getMethods()) {
      String camel = JavaNames.camel(m.getName(), false);
      String action = options.actionName(m);
      String constant = JavaNames.upperSnake(camel);
      rpcs.add(
          new Rpc(
              m,
              Shape.of(m),
              action.isEmpty() ? m.getName() : action,
              "METHOD_" + constant,
              "PATH_" + constant,
              JavaNames.rpcMethodName(m.getName()),
              JavaNames.escape(camel + "Async", methods.keySet()),
              JavaNames.messageClass(m.getInputType()),
              JavaNames.messageClass(m.getOutputType())));
    }
  }

  static JavaFile generate(ServiceDescriptor service, RunarOptions options) {
    return new ServiceGenerator(service, options).javaFile();
  }

  private JavaFile javaFile() {
    TypeSpec.Builder type =
        TypeSpec.classBuilder(outer)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addAnnotation(Generated.annotation(service.getFile()))
            .addAnnotations(deprecated(serviceDeprecated()))
            .addJavadoc(classJavadoc());
    type.addField(
        constant(
            STRING,
            "SERVICE_PATH",
            CodeBlock.of("$S", servicePath()),
            "The path the service is hosted at."));
    type.addField(
        constant(
            STRING,
            "SERVICE_NAME",
            CodeBlock.of("$S", service.getFullName()),
            "The service's full proto name."));
    for (Rpc rpc : rpcs) {
      type.addField(
          constant(
              STRING,
              rpc.pathConstantName(),
              CodeBlock.of("$S", servicePath() + "/" + rpc.actionName()),
              "The path callers address {@code " + rpc.proto().getName() + "} at."));
    }
    for (Rpc rpc : rpcs) {
      type.addField(
          constant(
              ParameterizedTypeName.get(
                  RuntimeNames.METHOD_DESCRIPTOR, rpc.request(), rpc.response()),
              rpc.constantName(),
              methodDescriptor(rpc),
              "Describes {@code " + rpc.proto().getName() + "}."));
    }
    type.addMethod(serviceDescriptorGetter());
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    ClassName implBase = outer.nestedClass(service.getName() + "ImplBase");
    ClassName blockingStub = outer.nestedClass(service.getName() + "BlockingStub");
    ClassName futureStub = outer.nestedClass(service.getName() + "FutureStub");
    type.addMethod(stubFactory("newBlockingStub", blockingStub, "a blocking stub"));
    type.addMethod(stubFactory("newFutureStub", futureStub, "a future stub"));
    type.addType(implBase(implBase));
    type.addType(blockingStub(blockingStub));
    type.addType(futureStub(futureStub));
    return JavaFile.builder(outer.packageName(), type.build()).skipJavaLangImports(true).build();
  }

  /** The initializer of an rpc's {@code METHOD_} constant. */
  private static CodeBlock methodDescriptor(Rpc rpc) {
    CodeBlock.Builder code =
        rpc.shape() == Shape.UNARY
            ? CodeBlock.builder()
                .add(
                    "$T.unary(SERVICE_PATH, $S, $T.getDefaultInstance(), $T.getDefaultInstance())",
                    RuntimeNames.METHOD_DESCRIPTOR,
                    rpc.actionName(),
                    rpc.request(),
                    rpc.response())
            : CodeBlock.builder()
                .add(
                    "$T.create($T.$L, SERVICE_PATH, $S, $T.getDefaultInstance(),"
                        + " $T.getDefaultInstance())",
                    RuntimeNames.METHOD_DESCRIPTOR,
                    RuntimeNames.METHOD_TYPE,
                    rpc.shape().name(),
                    rpc.actionName(),
                    rpc.request(),
                    rpc.response());
    IdempotencyLevel level = rpc.proto().getOptions().getIdempotencyLevel();
    if (level != IdempotencyLevel.IDEMPOTENCY_UNKNOWN) {
      code.add(".withIdempotencyLevel($T.$L)", IdempotencyLevel.class, level.name());
    }
    return code.build();
  }

  /**
   * {@code getServiceDescriptor()}: the service's proto descriptor, from the outer class protoc's
   * Java generator writes for the file (as grpc-java's generated code finds it).
   */
  private MethodSpec serviceDescriptorGetter() {
    ClassName fileClass =
        ClassName.get(
            JavaNames.javaPackage(service.getFile()), JavaNames.outerClassName(service.getFile()));
    return MethodSpec.methodBuilder("getServiceDescriptor")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(RuntimeNames.PROTO_SERVICE_DESCRIPTOR)
        .addJavadoc(
            "The proto descriptor of {@code $L}, with its file and every file it imports: what"
                + " reflection, gateways and {@code $$registry/services/descriptors} read.\n",
            service.getFullName())
        .addStatement(
            "return $T.getDescriptor().findServiceByName($S)", fileClass, service.getName())
        .build();
  }

  private boolean serviceDeprecated() {
    return service.getOptions().getDeprecated();
  }

  /** {@code @Deprecated} when {@code deprecated}, else nothing. */
  private static List<AnnotationSpec> deprecated(boolean deprecated) {
    return deprecated ? List.of(AnnotationSpec.builder(Deprecated.class).build()) : List.of();
  }

  private String servicePath() {
    String path = options.servicePath(service);
    return path.isEmpty() ? service.getFullName() : path;
  }

  private CodeBlock classJavadoc() {
    CodeBlock.Builder doc =
        CodeBlock.builder()
            .add("Runar stubs and server base for {@code $L}.\n", service.getFullName());
    String comment = Javadocs.of(service);
    if (!comment.isEmpty()) {
      doc.add("\n<p>$L\n", comment);
    }
    return doc.build();
  }

  private static FieldSpec constant(TypeName type, String name, CodeBlock value, String javadoc) {
    return FieldSpec.builder(type, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .initializer(value)
        .addJavadoc("$L\n", javadoc)
        .build();
  }

  private MethodSpec stubFactory(String name, ClassName stub, String what) {
    return MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addAnnotations(deprecated(serviceDeprecated()))
        .returns(stub)
        .addParameter(RuntimeNames.NODE, "node")
        .addJavadoc("Creates $L that calls the service through {@code node}.\n", what)
        .addStatement("return new $T(node, $T.DEFAULT)", stub, RuntimeNames.CALL_OPTIONS)
        .build();
  }

  private TypeSpec implBase(ClassName name) {
    TypeSpec.Builder base =
        TypeSpec.classBuilder(name)
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.ABSTRACT)
            .addAnnotations(deprecated(serviceDeprecated()))
            .addSuperinterface(RuntimeNames.BINDABLE_SERVICE)
            .addSuperinterface(RuntimeNames.SERVICE_LIFECYCLE)
            .addJavadoc(
                "Base class for implementations of {@code $L}. Override each rpc in direct style"
                    + " (return the reply; runs on the node's service executor) or in async style"
                    + " (the {@code ...Async} method, returning a stage). An rpc left alone answers"
                    + " UNIMPLEMENTED. Add an instance with {@code node.addService(impl)}.\n",
                service.getName());
    CodeBlock.Builder definition =
        CodeBlock.builder()
            .add("return $T.builder(SERVICE_PATH)\n", RuntimeNames.SERVICE_DEFINITION)
            .indent()
            .indent()
            .add(".name(SERVICE_NAME)\n")
            .add(".version($S)\n", serviceVersion())
            .add(".description($S)\n", firstSentence(Javadocs.plain(service)))
            .add(".protoDescriptor($T.getServiceDescriptor())\n", outer)
            .add(".lifecycle(this)\n");
    for (Rpc rpc : rpcs) {
      base.addMethod(directMethod(rpc));
      base.addMethod(asyncMethod(rpc));
      definition.add(binding(rpc));
    }
    definition.add(".build();\n").unindent().unindent();
    base.addMethod(
        MethodSpec.methodBuilder("bindService")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .returns(RuntimeNames.SERVICE_DEFINITION)
            .addCode(definition.build())
            .build());
    return base.build();
  }

  /** The direct-style server method: a default that answers UNIMPLEMENTED. */
  private static MethodSpec directMethod(Rpc rpc) {
    String comment = Javadocs.of(rpc.proto());
    MethodSpec.Builder method =
        MethodSpec.methodBuilder(rpc.method())
            .addModifiers(Modifier.PUBLIC)
            .addAnnotations(deprecated(rpc.deprecated()))
            .addJavadoc("$L", comment.isEmpty() ? "" : comment + "\n\n<p>");
    if (rpc.shape().streamsRequests()) {
      method.addParameter(
          ParameterizedTypeName.get(RuntimeNames.BLOCKING_STREAM, rpc.request()), "requests");
    } else {
      method.addParameter(rpc.request(), "request");
    }
    if (rpc.shape() != Shape.UNARY) {
      method.addException(Exception.class); // streaming methods block: let them throw
    }
    if (rpc.shape().streamsResponses()) {
      method
          .addParameter(
              ParameterizedTypeName.get(RuntimeNames.STREAM_SINK, rpc.response()), "responses")
          .addJavadoc(
              "Direct style: send each response to {@code responses} (each send waits for the"
                  + " consumer); return to end the stream, throw a {@code StatusException} to fail"
                  + " it.");
    } else {
      method
          .returns(rpc.response())
          .addJavadoc("Direct style: return the reply or throw a {@code StatusException}.");
    }
    return method
        .addJavadoc(" {@code CallContext.current()} describes the call.\n")
        .addStatement("throw $T.unimplemented($L)", RuntimeNames.SERVER_CALLS, rpc.constantName())
        .build();
  }

  /** The async-style server method: by default, runs the direct-style one. */
  private static MethodSpec asyncMethod(Rpc rpc) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder(rpc.asyncMethod())
            .addModifiers(Modifier.PUBLIC)
            .addAnnotations(deprecated(rpc.deprecated()))
            .addJavadoc(
                "Async style for {@code $L}; by default runs {@link #$L}.\n",
                rpc.proto().getName(),
                rpc.method());
    TypeName requests = ParameterizedTypeName.get(RuntimeNames.FLOW_PUBLISHER, rpc.request());
    TypeName responses = ParameterizedTypeName.get(RuntimeNames.FLOW_PUBLISHER, rpc.response());
    switch (rpc.shape()) {
      case UNARY ->
          method
              .returns(ParameterizedTypeName.get(RuntimeNames.COMPLETION_STAGE, rpc.response()))
              .addParameter(rpc.request(), "request")
              .addStatement(
                  "return $T.completedFuture($L(request))",
                  RuntimeNames.COMPLETABLE_FUTURE,
                  rpc.method());
      case SERVER_STREAMING ->
          method
              .returns(responses)
              .addParameter(rpc.request(), "request")
              .addStatement(
                  "return $T.sink(responses -> $L(request, responses))",
                  RuntimeNames.SERVER_CALLS,
                  rpc.method());
      case CLIENT_STREAMING ->
          method
              .returns(ParameterizedTypeName.get(RuntimeNames.COMPLETION_STAGE, rpc.response()))
              .addParameter(requests, "requests")
              .addException(Exception.class)
              .addStatement(
                  "return $T.completedFuture($L($T.blocking(requests)))",
                  RuntimeNames.COMPLETABLE_FUTURE,
                  rpc.method(),
                  RuntimeNames.SERVER_CALLS);
      case BIDI_STREAMING ->
          method
              .returns(responses)
              .addParameter(requests, "requests")
              .addStatement(
                  "return $T.sink(responses -> $L($T.blocking(requests), responses))",
                  RuntimeNames.SERVER_CALLS,
                  rpc.method(),
                  RuntimeNames.SERVER_CALLS);
    }
    return method.build();
  }

  /** Registers an rpc's async method with the service definition. */
  private static CodeBlock binding(Rpc rpc) {
    return switch (rpc.shape()) {
      case UNARY ->
          CodeBlock.of(
              ".unary($L, (request, context) -> $L(request))\n",
              rpc.constantName(),
              rpc.asyncMethod());
      case SERVER_STREAMING ->
          CodeBlock.of(
              ".streaming($L, (requests, context) -> $L($T.single(requests)))\n",
              rpc.constantName(),
              rpc.asyncMethod(),
              RuntimeNames.SERVER_CALLS);
      case CLIENT_STREAMING ->
          CodeBlock.of(
              ".streaming($L, (requests, context) -> $T.fromStage($L(requests)))\n",
              rpc.constantName(),
              RuntimeNames.PUBLISHERS,
              rpc.asyncMethod());
      case BIDI_STREAMING ->
          CodeBlock.of(
              ".streaming($L, (requests, context) -> $L(requests))\n",
              rpc.constantName(),
              rpc.asyncMethod());
    };
  }

  private TypeSpec blockingStub(ClassName name) {
    return stub(
        name,
        "A blocking stub: each call waits for the reply (or returns a {@code BlockingStream} to"
            + " read) and throws {@code StatusException} on failure.",
        (rpc, method) -> {
          TypeName responses =
              ParameterizedTypeName.get(RuntimeNames.BLOCKING_STREAM, rpc.response());
          TypeName requests =
              ParameterizedTypeName.get(ClassName.get(Iterable.class), rpc.request());
          String call =
              switch (rpc.shape()) {
                case UNARY -> "blockingUnary";
                case SERVER_STREAMING -> "blockingServerStream";
                case CLIENT_STREAMING -> "blockingClientStream";
                case BIDI_STREAMING -> "blockingBidiStream";
              };
          String argument = rpc.shape().streamsRequests() ? "requests" : "request";
          return method
              .addParameter(rpc.shape().streamsRequests() ? requests : rpc.request(), argument)
              .returns(rpc.shape().streamsResponses() ? responses : rpc.response())
              .addStatement(
                  "return $T.$L(getNode(), $L, $L, getCallOptions())",
                  RuntimeNames.CLIENT_CALLS,
                  call,
                  rpc.constantName(),
                  argument);
        });
  }

  private TypeSpec futureStub(ClassName name) {
    return stub(
        name,
        "A future stub: each call returns at once, with a future of the reply or a {@code"
            + " Flow.Publisher} of the stream, failing with a {@code StatusException}.",
        (rpc, method) -> {
          TypeName requests = ParameterizedTypeName.get(RuntimeNames.FLOW_PUBLISHER, rpc.request());
          TypeName responses =
              ParameterizedTypeName.get(RuntimeNames.FLOW_PUBLISHER, rpc.response());
          return switch (rpc.shape()) {
            case UNARY ->
                method
                    .addParameter(rpc.request(), "request")
                    .returns(
                        ParameterizedTypeName.get(RuntimeNames.COMPLETABLE_FUTURE, rpc.response()))
                    .addStatement(
                        "return getNode().call($L, request, getCallOptions())", rpc.constantName());
            case SERVER_STREAMING ->
                method
                    .addParameter(rpc.request(), "request")
                    .returns(responses)
                    .addStatement(
                        "return $T.serverStream(getNode(), $L, request, getCallOptions())",
                        RuntimeNames.CLIENT_CALLS,
                        rpc.constantName());
            case CLIENT_STREAMING ->
                method
                    .addParameter(requests, "requests")
                    .returns(
                        ParameterizedTypeName.get(RuntimeNames.COMPLETABLE_FUTURE, rpc.response()))
                    .addStatement(
                        "return $T.clientStream(getNode(), $L, requests, getCallOptions())",
                        RuntimeNames.CLIENT_CALLS,
                        rpc.constantName());
            case BIDI_STREAMING ->
                method
                    .addParameter(requests, "requests")
                    .returns(responses)
                    .addStatement(
                        "return getNode().stream($L, requests, getCallOptions())",
                        rpc.constantName());
          };
        });
  }

  /** Adds the body and return type of one stub method. */
  private interface StubMethodBody {
    MethodSpec.Builder complete(Rpc rpc, MethodSpec.Builder method);
  }

  private TypeSpec stub(ClassName name, String javadoc, StubMethodBody body) {
    TypeSpec.Builder stub =
        TypeSpec.classBuilder(name)
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addAnnotations(deprecated(serviceDeprecated()))
            .superclass(ParameterizedTypeName.get(RuntimeNames.ABSTRACT_STUB, name))
            .addJavadoc("$L Immutable: {@code with...} methods return a copy.\n", javadoc)
            .addMethod(
                MethodSpec.constructorBuilder()
                    .addModifiers(Modifier.PRIVATE)
                    .addParameter(RuntimeNames.NODE, "node")
                    .addParameter(RuntimeNames.CALL_OPTIONS, "callOptions")
                    .addStatement("super(node, callOptions)")
                    .build())
            .addMethod(
                MethodSpec.methodBuilder("build")
                    .addAnnotation(Override.class)
                    .addModifiers(Modifier.PROTECTED)
                    .returns(name)
                    .addParameter(RuntimeNames.NODE, "node")
                    .addParameter(RuntimeNames.CALL_OPTIONS, "callOptions")
                    .addStatement("return new $T(node, callOptions)", name)
                    .build());
    for (Rpc rpc : rpcs) {
      String comment = Javadocs.of(rpc.proto());
      MethodSpec.Builder method =
          MethodSpec.methodBuilder(rpc.method())
              .addModifiers(Modifier.PUBLIC)
              .addAnnotations(deprecated(rpc.deprecated()))
              .addJavadoc(
                  "$L\n",
                  comment.isEmpty() ? "Calls {@code " + rpc.proto().getName() + "}." : comment);
      stub.addMethod(body.complete(rpc, method).build());
    }
    return stub.build();
  }

  private String serviceVersion() {
    String version = options.serviceVersion(service);
    return version.isEmpty() ? "0.0.0" : version;
  }

  private static String firstSentence(String comment) {
    String flat = comment.replace('\n', ' ').strip();
    int end = flat.indexOf(". ");
    return end < 0 ? flat : flat.substring(0, end + 1);
  }
}
