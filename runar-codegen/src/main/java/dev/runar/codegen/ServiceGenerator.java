package dev.runar.codegen;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Generates {@code <Service>Runar} for one proto service: path constants, method descriptors, a
 * server base, a blocking stub and a future stub.
 */
final class ServiceGenerator {
  /** Names the server base inherits (its hooks and {@link Object}'s methods). */
  private static final Set<String> IMPL_BASE_RESERVED =
      Set.of(
          "bindService", "init", "start", "stop", "equals", "hashCode", "toString", "getClass",
          "notify", "notifyAll", "wait", "clone", "finalize");

  /** Names the stubs inherit from {@code AbstractStub} and {@link Object}. */
  private static final Set<String> STUB_RESERVED =
      Set.of(
          "getNode", "getCallOptions", "build", "withDeadline", "withTimeout", "withMetadata",
          "withCallOptions", "equals", "hashCode", "toString", "getClass", "notify", "notifyAll",
          "wait", "clone", "finalize");

  private static final TypeName STRING = ClassName.get(String.class);

  private final ServiceDescriptor service;
  private final RunarOptions options;
  private final ClassName outer;
  private final List<Rpc> rpcs = new ArrayList<>();
  private final List<MethodDescriptor> streaming = new ArrayList<>();

  /** One unary rpc and the names generated for it. */
  private record Rpc(
      MethodDescriptor proto,
      String actionName,
      String constantName,
      String pathConstantName,
      String implMethod,
      String asyncImplMethod,
      String stubMethod,
      TypeName request,
      TypeName response) {}

  private ServiceGenerator(ServiceDescriptor service, RunarOptions options) {
    this.service = service;
    this.options = options;
    this.outer = ClassName.get(JavaNames.javaPackage(service.getFile()), service.getName() + "Runar");
    Set<String> implNames = new HashSet<>();
    for (MethodDescriptor m : service.getMethods()) {
      if (m.isClientStreaming() || m.isServerStreaming()) {
        streaming.add(m);
      } else {
        implNames.add(JavaNames.escape(JavaNames.camel(m.getName(), false), IMPL_BASE_RESERVED));
      }
    }
    for (MethodDescriptor m : service.getMethods()) {
      if (m.isClientStreaming() || m.isServerStreaming()) {
        continue;
      }
      String camel = JavaNames.camel(m.getName(), false);
      String implMethod = JavaNames.escape(camel, IMPL_BASE_RESERVED);
      String asyncMethod = camel + "Async";
      while (implNames.contains(asyncMethod)) {
        asyncMethod += '_';
      }
      String action = options.actionName(m);
      String constant = JavaNames.upperSnake(camel);
      rpcs.add(
          new Rpc(
              m,
              action.isEmpty() ? m.getName() : action,
              "METHOD_" + constant,
              "PATH_" + constant,
              implMethod,
              asyncMethod,
              JavaNames.escape(camel, STUB_RESERVED),
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
            .addJavadoc(classJavadoc());
    type.addField(
        constant(STRING, "SERVICE_PATH", CodeBlock.of("$S", servicePath()), "The path the service is hosted at."));
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
              ParameterizedTypeName.get(RuntimeNames.METHOD_DESCRIPTOR, rpc.request(), rpc.response()),
              rpc.constantName(),
              CodeBlock.of(
                  "$T.unary(SERVICE_PATH, $S, $T.getDefaultInstance(), $T.getDefaultInstance())",
                  RuntimeNames.METHOD_DESCRIPTOR,
                  rpc.actionName(),
                  rpc.request(),
                  rpc.response()),
              "Describes {@code " + rpc.proto().getName() + "}."));
    }
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
    for (MethodDescriptor m : streaming) {
      doc.add(
          "\n<p>Streaming rpc {@code $L} is not generated: this Runar version serves unary rpcs only.\n",
          m.getName());
    }
    return doc.build();
  }

  private static FieldSpec constant(TypeName type, String name, CodeBlock value, String javadoc) {
    return FieldSpec.builder(type, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .initializer(value)
        .addJavadoc("$L\n", javadoc)
        .build();
  }

  private static MethodSpec stubFactory(String name, ClassName stub, String what) {
    return MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
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
            .add(".lifecycle(this)\n");
    for (Rpc rpc : rpcs) {
      String comment = Javadocs.of(rpc.proto());
      base.addMethod(
          MethodSpec.methodBuilder(rpc.implMethod())
              .addModifiers(Modifier.PUBLIC)
              .returns(rpc.response())
              .addParameter(rpc.request(), "request")
              .addJavadoc("$L", comment.isEmpty() ? "" : comment + "\n\n<p>")
              .addJavadoc(
                  "Direct style: return the reply or throw a {@code StatusException}."
                      + " {@code CallContext.current()} describes the call.\n")
              .addStatement(
                  "throw $T.unimplemented($L)", RuntimeNames.SERVER_CALLS, rpc.constantName())
              .build());
      base.addMethod(
          MethodSpec.methodBuilder(rpc.asyncImplMethod())
              .addModifiers(Modifier.PUBLIC)
              .returns(
                  ParameterizedTypeName.get(RuntimeNames.COMPLETION_STAGE, rpc.response()))
              .addParameter(rpc.request(), "request")
              .addJavadoc(
                  "Async style for {@code $L}; by default runs {@link #$L} and completes with its"
                      + " reply.\n",
                  rpc.proto().getName(),
                  rpc.implMethod())
              .addStatement(
                  "return $T.completedFuture($L(request))",
                  RuntimeNames.COMPLETABLE_FUTURE,
                  rpc.implMethod())
              .build());
      definition.add(
          ".unary($L, (request, context) -> $L(request))\n",
          rpc.constantName(),
          rpc.asyncImplMethod());
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

  private TypeSpec blockingStub(ClassName name) {
    return stub(
        name,
        "A blocking stub: each call waits for the reply and throws {@code StatusException} on"
            + " failure.",
        (rpc, method) ->
            method
                .returns(rpc.response())
                .addStatement(
                    "return $T.blockingUnary(getNode(), $L, request, getCallOptions())",
                    RuntimeNames.CLIENT_CALLS,
                    rpc.constantName()));
  }

  private TypeSpec futureStub(ClassName name) {
    return stub(
        name,
        "A future stub: each call returns at once with a future of the reply, which fails with a"
            + " {@code StatusException}.",
        (rpc, method) ->
            method
                .returns(ParameterizedTypeName.get(RuntimeNames.COMPLETABLE_FUTURE, rpc.response()))
                .addStatement(
                    "return getNode().call($L, request, getCallOptions())", rpc.constantName()));
  }

  /** Adds the body and return type of one stub method. */
  private interface StubMethodBody {
    MethodSpec.Builder complete(Rpc rpc, MethodSpec.Builder method);
  }

  private TypeSpec stub(ClassName name, String javadoc, StubMethodBody body) {
    TypeSpec.Builder stub =
        TypeSpec.classBuilder(name)
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
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
          MethodSpec.methodBuilder(rpc.stubMethod())
              .addModifiers(Modifier.PUBLIC)
              .addParameter(rpc.request(), "request")
              .addJavadoc(
                  "$L\n", comment.isEmpty() ? "Calls {@code " + rpc.proto().getName() + "}." : comment);
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
