package dev.runar.examples.greeter;

import dev.runar.Node;
import dev.runar.StatusException;
import java.time.Duration;

/**
 * Process 2 of the greeter example: finds the greeter by multicast and calls it through the
 * generated blocking stub. Usage: {@code GreeterClient [name]}.
 */
public final class GreeterClient {
  private GreeterClient() {}

  public static void main(String[] args) throws InterruptedException {
    String name = args.length > 0 ? args[0] : "world";
    Node node = ExampleNode.create().start();
    try {
      GreeterRunar.GreeterBlockingStub greeter =
          GreeterRunar.newBlockingStub(node).withTimeout(Duration.ofSeconds(2));
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        try {
          HelloReply reply = greeter.sayHello(HelloRequest.newBuilder().setName(name).build());
          System.out.println(reply.getMessage() + " (answered by node " + reply.getNodeId() + ")");
          return;
        } catch (StatusException e) {
          if (System.nanoTime() > end) {
            System.out.println("No greeter found within 30 s: " + e.getMessage());
            System.exit(1);
          }
          Thread.sleep(200); // not discovered yet
        }
      }
    } finally {
      node.stop();
    }
  }
}
