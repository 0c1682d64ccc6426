package dev.runar.grpc.gateway;

import dev.runar.BlockingStream;
import dev.runar.CallContext;
import dev.runar.Node;
import dev.runar.Status;
import dev.runar.StreamSink;
import dev.runar.grpc.gateway.testing.EchoReply;
import dev.runar.grpc.gateway.testing.EchoRequest;
import dev.runar.grpc.gateway.testing.EchoRunar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** The tests' Runar service: behaves as echo.proto's comments say. */
final class EchoService extends EchoRunar.EchoImplBase {
  /** The detail a "fail-rich" request fails with. */
  static final com.google.rpc.BadRequest BAD_REQUEST =
      com.google.rpc.BadRequest.newBuilder()
          .addFieldViolations(
              com.google.rpc.BadRequest.FieldViolation.newBuilder()
                  .setField("text")
                  .setDescription("asked to fail"))
          .build();

  /** Replies the count stream has sent so far. */
  final AtomicLong sent = new AtomicLong();

  /** Counts down when a count stream's producer stops, however it stops. */
  volatile CountDownLatch producerStopped = new CountDownLatch(1);

  private volatile String nodeId = "";

  @Override
  public void init(Node node) {
    nodeId = node.nodeId();
  }

  @Override
  public EchoReply say(EchoRequest request) {
    pause(request.getDelayMillis());
    failIfAsked(request);
    return reply(request.getText(), metadata()).toBuilder()
        .setDeadlineMillis(CallContext.current().deadline().timeRemaining().toMillis())
        .build();
  }

  @Override
  public void count(EchoRequest request, StreamSink<EchoReply> responses)
      throws InterruptedException {
    try {
      for (int i = 1; i <= request.getCount(); i++) {
        responses.send(reply(request.getText() + " " + i, ""));
        sent.incrementAndGet();
        if (request.getDelayMillis() > 0) {
          Thread.sleep(request.getDelayMillis());
        }
      }
    } finally {
      producerStopped.countDown();
    }
  }

  @Override
  public EchoReply join(BlockingStream<EchoRequest> requests) {
    List<String> texts = new ArrayList<>();
    while (requests.hasNext()) {
      EchoRequest r = requests.next();
      failIfAsked(r);
      texts.add(r.getText());
      pause(r.getDelayMillis());
    }
    return reply(String.join("+", texts), "");
  }

  @Override
  public void chat(BlockingStream<EchoRequest> requests, StreamSink<EchoReply> responses) {
    while (requests.hasNext()) {
      EchoRequest r = requests.next();
      failIfAsked(r);
      responses.send(reply(r.getText().toUpperCase(java.util.Locale.ROOT), ""));
    }
  }

  private static void pause(int millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("interrupted").asException();
      }
    }
  }

  private static void failIfAsked(EchoRequest request) {
    if (request.getText().equals("fail")) {
      throw Status.INVALID_ARGUMENT.withDescription("asked to fail").asException();
    }
    if (request.getText().equals("fail-rich")) {
      throw Status.INVALID_ARGUMENT
          .withDescription("asked to fail richly")
          .withDetails(com.google.protobuf.Any.pack(BAD_REQUEST))
          .asException(dev.runar.Metadata.builder().put("x-why", "asked").build());
    }
  }

  /** The current call's metadata as echo.proto says (unary calls only). */
  private static String metadata() {
    Map<String, String> seen = new TreeMap<>();
    CallContext.current()
        .metadata()
        .forEach(
            (k, v) -> {
              if (k.startsWith("x-") || k.equals(Mapping.CLIENT_KEY)) {
                seen.put(k, v);
              }
            });
    return seen.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(";"));
  }

  private EchoReply reply(String text, String metadata) {
    return EchoReply.newBuilder().setText(text).setMetadata(metadata).setNodeId(nodeId).build();
  }
}
