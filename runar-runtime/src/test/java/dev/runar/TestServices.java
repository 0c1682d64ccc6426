package dev.runar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import dev.runar.network.Peers.PeerState;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Small services and assertions shared by the node tests, and by other modules' tests through the
 * runtime's test-jar. Stateless.
 */
public final class TestServices {
  public static final Duration WAIT = Duration.ofSeconds(10);

  private TestServices() {}

  public static MethodDescriptor<StringValue, StringValue> method(String service, String action) {
    return MethodDescriptor.unary(
        service, action, StringValue.getDefaultInstance(), StringValue.getDefaultInstance());
  }

  /** A service at {@code path} whose action {@code action} runs {@code handler}. */
  public static ServiceDefinition service(
      String path, String action, UnaryHandler<StringValue, StringValue> handler) {
    return ServiceDefinition.builder(path).unary(method(path, action), handler).build();
  }

  /** A service whose {@code echo} action replies with its request. */
  public static ServiceDefinition echo(String path) {
    return service(path, "echo", (req, ctx) -> CompletableFuture.completedFuture(req));
  }

  public static StringValue str(String s) {
    return StringValue.of(s);
  }

  public static Node startedNode() {
    return Node.create(NodeConfig.builder().shutdownGracePeriod(Duration.ofSeconds(2)).build())
        .start();
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until {@code condition} holds, polling every 10 ms; fails after {@link #WAIT}. */
  public static void eventually(Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + WAIT.toSeconds() + " s");
      }
      Thread.sleep(10);
    }
  }

  /** Whether {@code node} holds an open connection to the peer {@code peerId}. */
  public static boolean isConnected(Node node, String peerId) {
    return node.peers().get(peerId).map(p -> p.state() == PeerState.CONNECTED).orElse(false);
  }

  /** Asserts {@code future} fails with {@code code} and returns the status. */
  public static Status assertFailsWith(Status.Code code, Future<? extends Message> future) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    Status status = Status.fromThrowable(e);
    assertEquals(code, status.code(), () -> "status was " + status);
    return status;
  }
}
