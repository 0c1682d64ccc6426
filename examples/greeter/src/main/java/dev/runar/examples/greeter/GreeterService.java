package dev.runar.examples.greeter;

import dev.runar.Node;
import java.util.concurrent.atomic.AtomicLong;

/** The example's server: greets by name and publishes a {@link Greeted} event for each greeting. */
public final class GreeterService extends GreeterRunar.GreeterImplBase {
  private final AtomicLong count = new AtomicLong();
  private volatile Node node;

  @Override
  public void init(Node node) {
    this.node = node;
  }

  @Override
  public HelloReply sayHello(HelloRequest request) {
    long n = count.incrementAndGet();
    node.publish(
        GreeterTopics.GREETED, Greeted.newBuilder().setName(request.getName()).setCount(n).build());
    return HelloReply.newBuilder()
        .setMessage("Hello, " + request.getName() + "!")
        .setNodeId(node.nodeId())
        .build();
  }
}
