package dev.runar.examples.greeter;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.StatusException;
import dev.runar.Subscription;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's demo: a node hosting the greeter, called through the generated blocking and
 * future stubs, with a wildcard subscriber receiving the typed events it publishes.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    Result result = run(System.out);
    System.exit(result.ok() ? 0 : 1);
  }

  /** What the demo saw, for its test. */
  public record Result(List<String> replies, List<String> events, String unimplementedStatus) {
    boolean ok() {
      return replies.size() == 3 && events.size() == 3 && "UNIMPLEMENTED".equals(unimplementedStatus);
    }
  }

  public static Result run(PrintStream out) throws Exception {
    Node node =
        Node.create(NodeConfig.builder().nodeId("demo-node").requestTimeout(Duration.ofSeconds(5)).build());
    node.addService(new GreeterService());
    node.start();
    out.println("Started node " + node.nodeId() + " hosting service '" + GreeterRunar.SERVICE_PATH + "'.");

    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch threeEvents = new CountDownLatch(3);
    Subscription subscription =
        node.subscribe(
            "greeter/>",
            event -> {
              Greeted greeted = event.payload(Greeted.class);
              events.add(greeted.getName());
              out.println("  event on " + event.topic() + ": greeted " + greeted.getName() + " (#" + greeted.getCount() + ")");
              threeEvents.countDown();
            });
    out.println("Subscribed to 'greeter/>' (every greeter event).");

    List<String> replies = new CopyOnWriteArrayList<>();
    GreeterRunar.GreeterBlockingStub blocking = GreeterRunar.newBlockingStub(node);
    for (String name : List.of("Ada", "Grace")) {
      HelloReply reply = blocking.sayHello(HelloRequest.newBuilder().setName(name).build());
      replies.add(reply.getMessage());
      out.println("Blocking stub: " + reply.getMessage() + " (answered by " + reply.getNodeId() + ")");
    }
    HelloReply async =
        GreeterRunar.newFutureStub(node)
            .withTimeout(Duration.ofSeconds(2))
            .sayHello(HelloRequest.newBuilder().setName("Linus").build())
            .get(5, TimeUnit.SECONDS);
    replies.add(async.getMessage());
    out.println("Future stub:   " + async.getMessage());

    String unimplemented;
    try {
      blocking.sayGoodbye(HelloRequest.newBuilder().setName("Ada").build());
      unimplemented = "OK";
    } catch (StatusException e) {
      unimplemented = e.code().name();
      out.println("SayGoodbye is not implemented: the stub threw " + e.getMessage());
    }

    boolean allEvents = threeEvents.await(5, TimeUnit.SECONDS);
    out.println(allEvents ? "All 3 events arrived, in order." : "Only " + events.size() + " of 3 events arrived!");
    subscription.unsubscribe();
    node.stop();
    out.println("Node stopped.");
    return new Result(replies, events, unimplemented);
  }
}
