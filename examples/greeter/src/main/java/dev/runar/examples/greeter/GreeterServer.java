package dev.runar.examples.greeter;

import dev.runar.Node;

/** Process 1 of the greeter example: hosts the greeter until stopped (Ctrl-C). */
public final class GreeterServer {
  private GreeterServer() {}

  public static void main(String[] args) throws InterruptedException {
    Node node = ExampleNode.create();
    node.addService(new GreeterService());
    node.start();
    Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
    System.out.println(
        "Greeter node "
            + node.nodeId()
            + " is serving '"
            + GreeterRunar.SERVICE_PATH
            + "'. Ctrl-C stops it.");
    Thread.currentThread().join();
  }
}
