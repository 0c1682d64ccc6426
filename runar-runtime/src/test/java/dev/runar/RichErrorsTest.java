package dev.runar;

import static dev.runar.TestServices.method;
import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.StringValue;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import dev.runar.stub.ClientCalls;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failure carries its details (google.rpc error details) and trailers, and a remote failure is
 * the same as the local one; metadata over the limit fails clearly.
 */
class RichErrorsTest {
  private static final MethodDescriptor<StringValue, StringValue> VALIDATE =
      method("checks", "validate");
  private static final MethodDescriptor<StringValue, StringValue> BIG_TRAILERS =
      method("checks", "bigTrailers");
  private static final MethodDescriptor<StringValue, StringValue> PING = method("checks", "ping");

  private static final BadRequest BAD_REQUEST =
      BadRequest.newBuilder()
          .addFieldViolations(
              BadRequest.FieldViolation.newBuilder()
                  .setField("name")
                  .setDescription("must not be empty"))
          .addFieldViolations(
              BadRequest.FieldViolation.newBuilder().setField("age").setDescription("negative"))
          .build();
  private static final ErrorInfo INFO =
      ErrorInfo.newBuilder().setReason("EMPTY_NAME").setDomain("runar.dev").build();
  private static final Status THROWN =
      Status.INVALID_ARGUMENT
          .withDescription("the request is invalid")
          .withDetails(Any.pack(BAD_REQUEST), Any.pack(INFO));

  private Topology topology;

  @AfterEach
  void stop() {
    if (topology != null) {
      topology.close();
    }
  }

  private void start(Topology.Mode mode) throws Exception {
    topology = new Topology(mode);
    ServiceDefinition checks =
        ServiceDefinition.builder("checks")
            .unary(PING, (req, ctx) -> CompletableFuture.completedFuture(req))
            .unary(
                VALIDATE,
                (req, ctx) -> {
                  throw THROWN.asException(
                      Metadata.builder()
                          .put("x-request-id", "r-1")
                          .putBinary("x-raw-bin", ByteString.copyFromUtf8("raw"))
                          .build());
                })
            .unary(
                BIG_TRAILERS,
                (req, ctx) -> {
                  ctx.responseTrailers().put("x-big", "x".repeat(10_000));
                  return CompletableFuture.completedFuture(req);
                })
            .build();
    topology.addAndAwait(topology.leaf(), checks, PING);
    topology.addAndAwait(
        topology.leaf(),
        new NumbersRunar.NumbersImplBase() {
          @Override
          public Flow.Publisher<Number> countAsync(CountRequest request) {
            throw THROWN.asException();
          }
        }.bindService(),
        NumbersRunar.METHOD_SQUARE);
  }

  @ParameterizedTest
  @EnumSource(Topology.Mode.class)
  void aBadRequestDetailArrivesIntact(Topology.Mode mode) throws Exception {
    start(mode);
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    topology.caller(), VALIDATE, str("x"), CallOptions.DEFAULT));
    assertEquals(THROWN, e.status(), "code, description and details");
    assertEquals(BAD_REQUEST, e.status().detail(BadRequest.class).orElseThrow());
    assertEquals(INFO, e.status().detail(ErrorInfo.class).orElseThrow());
    assertEquals("r-1", e.trailers().get("x-request-id").orElseThrow());
    assertEquals(ByteString.copyFromUtf8("raw"), e.trailers().binary("x-raw-bin").orElseThrow());

    // The google.rpc.Status a gRPC client's StatusProto would build holds the same.
    com.google.rpc.Status proto =
        com.google.rpc.Status.newBuilder()
            .setCode(e.status().code().value())
            .setMessage(e.status().description())
            .addAllDetails(e.status().details())
            .build();
    assertEquals(3, proto.getCode());
    assertEquals(BAD_REQUEST, proto.getDetails(0).unpack(BadRequest.class));

    // A streaming call's failure carries them as well.
    StatusException streaming =
        assertThrows(
            StatusException.class,
            () ->
                NumbersRunar.newBlockingStub(topology.caller())
                    .count(CountRequest.newBuilder().setCount(1).build())
                    .next());
    assertEquals(THROWN, streaming.status());
  }

  @ParameterizedTest
  @EnumSource(Topology.Mode.class)
  void metadataOverTheLimitFailsWithAClearError(Topology.Mode mode) throws Exception {
    start(mode);
    StatusException request =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    topology.caller(),
                    PING,
                    str("x"),
                    CallOptions.DEFAULT.withBinaryMetadata(
                        "x-blob-bin", ByteString.copyFrom(new byte[9000]))));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, request.code());
    assertTrue(request.status().description().contains("maxMetadataSize"), request.getMessage());

    StatusException response =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    topology.caller(), BIG_TRAILERS, str("x"), CallOptions.DEFAULT));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, response.code());
    assertTrue(
        response.status().description().contains("response headers and trailers"),
        response.getMessage());
  }
}
