package dev.runar.cli;

import dev.runar.BlockingStream;
import dev.runar.CallContext;
import dev.runar.Node;
import dev.runar.Status;
import dev.runar.StreamSink;
import dev.runar.cli.testing.EchoReply;
import dev.runar.cli.testing.EchoRequest;
import dev.runar.cli.testing.EchoRunar;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The test nodes' echo service: behaves as echo.proto's comments say. */
final class EchoService extends EchoRunar.EchoImplBase {
  private volatile String nodeId = "";

  @Override
  public void init(Node node) {
    nodeId = node.nodeId();
  }

  @Override
  public EchoReply say(EchoRequest request) {
    pause(request.getDelayMillis());
    if (request.getText().equals("fail")) {
      throw Status.FAILED_PRECONDITION.withDescription("asked to fail").asException();
    }
    Map<String, String> seen = new TreeMap<>();
    CallContext.current()
        .metadata()
        .forEach(
            (k, v) -> {
              if (k.startsWith("x-")) {
                seen.put(k, v);
              }
            });
    return reply(request.getText(), 0).toBuilder()
        .setMetadata(
            seen.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(";")))
        .build();
  }

  @Override
  public void count(EchoRequest request, StreamSink<EchoReply> responses) {
    for (int i = 1; i <= request.getCount(); i++) {
      responses.send(reply(request.getText() + " " + i, i));
      pause(request.getDelayMillis());
    }
  }

  @Override
  public EchoReply join(BlockingStream<EchoRequest> requests) {
    List<String> texts = new ArrayList<>();
    while (requests.hasNext()) {
      texts.add(requests.next().getText());
    }
    return reply(String.join("+", texts), texts.size());
  }

  @Override
  public void chat(BlockingStream<EchoRequest> requests, StreamSink<EchoReply> responses) {
    int i = 0;
    while (requests.hasNext()) {
      responses.send(reply(requests.next().getText().toUpperCase(Locale.ROOT), ++i));
    }
  }

  private EchoReply reply(String text, int index) {
    return EchoReply.newBuilder().setText(text).setNodeId(nodeId).setIndex(index).build();
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
}
