package dev.runar;

import static dev.runar.NumbersService.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Client interceptors (node and stub) and server interceptors (node and service) see and change
 * every call of all four shapes, the same way on one node and across three nodes over QUIC.
 */
class InterceptorsTest {
  private static final ByteString TRACE = ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 255});

  private final List<String> order = new CopyOnWriteArrayList<>();
  private final AtomicReference<Metadata> serverSaw = new AtomicReference<>();
  private final AtomicInteger serverRequests = new AtomicInteger();
  private final AtomicInteger serverResponses = new AtomicInteger();
  private final AtomicReference<Status> serverClosed = new AtomicReference<>();
  private Topology topology;

  @AfterEach
  void stop() {
    if (topology != null) {
      topology.close();
    }
  }

  /** What a stub's interceptor saw of one call. */
  static final class Capture implements ClientInterceptor {
    final List<String> order;
    volatile Metadata headers;
    volatile Metadata trailers;
    volatile Status status;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger responses = new AtomicInteger();

    Capture(List<String> order) {
      this.order = order;
    }

    @Override
    public ClientCallListener interceptCall(ClientCallInfo call) {
      order.add("stub-client");
      return new ClientCallListener() {
        @Override
        public void onRequest(Message request) {
          requests.incrementAndGet();
        }

        @Override
        public void onHeaders(Metadata h) {
          headers = h;
        }

        @Override
        public void onResponse(Message response) {
          responses.incrementAndGet();
        }

        @Override
        public void onClose(Status s, Metadata t) {
          status = s;
          trailers = t;
        }
      };
    }
  }

  private void start(Topology.Mode mode) throws Exception {
    ClientInterceptor nodeClient =
        call -> {
          order.add("node-client");
          call.headers().put("x-client", "a").putBinary("x-trace-bin", TRACE);
          return ClientCallListener.NONE;
        };
    ServerInterceptor nodeServer =
        call -> {
          order.add("node-server");
          serverSaw.set(call.requestMetadata());
          call.responseHeaders().put("x-server", "c");
          return new ServerCallListener() {
            @Override
            public void onRequest(Message request) {
              serverRequests.incrementAndGet();
            }

            @Override
            public void onResponse(Message response) {
              serverResponses.incrementAndGet();
            }

            @Override
            public void onClose(Status status) {
              serverClosed.set(status);
              call.responseTrailers()
                  .put("x-done", status.code().name())
                  .putBinary("x-trace-bin", TRACE);
            }
          };
        };
    ServerInterceptor serviceInterceptor =
        call -> {
          order.add("service-server");
          if (call.requestMetadata().containsKey("x-reject")) {
            throw Status.PERMISSION_DENIED
                .withDescription("rejected by the service's interceptor")
                .asException(Metadata.builder().put("x-why", "policy").build());
          }
          return ServerCallListener.NONE;
        };
    topology =
        new Topology(
            mode,
            Map.of(
                Topology.Role.CALLER, b -> b.clientInterceptor(nodeClient),
                Topology.Role.LEAF, b -> b.serverInterceptor(nodeServer)));
    topology.addAndAwait(
        topology.leaf(),
        new NumbersService().bindService().withInterceptors(serviceInterceptor),
        NumbersRunar.METHOD_SQUARE);
  }

  private <T> Capture run(Function<NumbersRunar.NumbersBlockingStub, T> call, T expected) {
    Capture capture = new Capture(order);
    order.clear();
    serverRequests.set(0);
    serverResponses.set(0);
    T result =
        call.apply(NumbersRunar.newBlockingStub(topology.caller()).withInterceptors(capture));
    assertEquals(expected, result);
    assertEquals(List.of("node-client", "stub-client", "node-server", "service-server"), order);
    assertEquals("a", serverSaw.get().get("x-client").orElseThrow());
    assertEquals(TRACE, serverSaw.get().binary("x-trace-bin").orElseThrow());
    assertEquals("c", capture.headers.get("x-server").orElseThrow(), capture.headers::toString);
    assertEquals(Status.OK, capture.status);
    assertEquals("OK", capture.trailers.get("x-done").orElseThrow(), capture.trailers::toString);
    assertEquals(TRACE, capture.trailers.binary("x-trace-bin").orElseThrow());
    assertEquals(Status.OK, serverClosed.get());
    assertEquals(capture.requests.get(), serverRequests.get(), "requests seen on both sides");
    assertEquals(capture.responses.get(), serverResponses.get(), "responses seen on both sides");
    return capture;
  }

  private static List<Long> values(java.util.Iterator<Number> stream) {
    List<Long> out = new ArrayList<>();
    stream.forEachRemaining(n -> out.add(n.getValue()));
    return out;
  }

  @ParameterizedTest
  @EnumSource(Topology.Mode.class)
  void interceptorsSeeAndChangeAllFourShapes(Topology.Mode mode) throws Exception {
    start(mode);
    Capture unary = run(s -> s.square(number(7)).getValue(), 49L);
    assertEquals(1, unary.requests.get());
    assertEquals(1, unary.responses.get());

    Capture serverStreaming =
        run(
            s -> values(s.count(CountRequest.newBuilder().setCount(3).build())),
            List.of(1L, 2L, 3L));
    assertEquals(1, serverStreaming.requests.get());
    assertEquals(3, serverStreaming.responses.get());

    Capture clientStreaming =
        run(s -> s.sum(List.of(number(1), number(2), number(3))).getValue(), 6L);
    assertEquals(3, clientStreaming.requests.get());
    assertEquals(1, clientStreaming.responses.get());

    Capture bidi = run(s -> values(s.double_(List.of(number(1), number(5)))), List.of(2L, 10L));
    assertEquals(2, bidi.requests.get());
    assertEquals(2, bidi.responses.get());
  }

  @ParameterizedTest
  @EnumSource(Topology.Mode.class)
  void aServerInterceptorRejectsTheSameWayLocallyAndRemotely(Topology.Mode mode) throws Exception {
    start(mode);
    Status expected =
        Status.PERMISSION_DENIED.withDescription("rejected by the service's interceptor");
    Capture capture = new Capture(order);
    NumbersRunar.NumbersBlockingStub stub =
        NumbersRunar.newBlockingStub(topology.caller())
            .withMetadata("x-reject", "yes")
            .withInterceptors(capture);

    StatusException unary = assertThrows(StatusException.class, () -> stub.square(number(2)));
    assertEquals(expected, unary.status());
    assertEquals("policy", unary.trailers().get("x-why").orElseThrow());
    assertEquals(expected, capture.status);
    assertEquals("policy", capture.trailers.get("x-why").orElseThrow());
    assertEquals(expected, serverClosed.get(), "the node's listener saw the refusal");

    StatusException streaming =
        assertThrows(
            StatusException.class,
            () -> values(stub.count(CountRequest.newBuilder().setCount(2).build())));
    assertEquals(expected, streaming.status());
    assertEquals("policy", streaming.trailers().get("x-why").orElseThrow());
  }

  @ParameterizedTest
  @EnumSource(Topology.Mode.class)
  void aClientInterceptorCanFailACallBeforeItIsSent(Topology.Mode mode) throws Exception {
    start(mode);
    serverClosed.set(null);
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                NumbersRunar.newBlockingStub(topology.caller())
                    .withInterceptors(
                        call -> {
                          throw Status.UNAUTHENTICATED.withDescription("no token").asException();
                        })
                    .square(number(2)));
    assertEquals(Status.UNAUTHENTICATED.withDescription("no token"), e.status());
    assertEquals(null, serverClosed.get(), "never sent");
  }
}
