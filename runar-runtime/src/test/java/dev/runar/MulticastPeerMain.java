package dev.runar;

import dev.runar.discovery.MulticastDiscovery;
import dev.runar.examples.chat.ChatProtos.ChatMessage;
import dev.runar.examples.chat.ChatProtos.PostAck;
import dev.runar.examples.chat.RoomRunar;
import dev.runar.examples.helloworld.GreeterRunar;
import dev.runar.examples.helloworld.HelloReply;
import dev.runar.examples.helloworld.HelloRequest;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.time.Duration;

/**
 * The other process of {@link MultiProcessMulticastTest}: hosts the greeter, finds the test's node
 * by multicast, calls its chat room through the generated stub, reports, and stops when its
 * standard input closes.
 */
public final class MulticastPeerMain {
  private MulticastPeerMain() {}

  public static void main(String[] args) throws Exception {
    String group = args[0];
    int port = Integer.parseInt(args[1]);
    String network = args[2];
    Node node =
        Node.create(
            NodeConfig.builder()
                .nodeId("process-b")
                .networkId(network)
                .transport(
                    new QuicTransport(
                        QuicTransportConfig.builder().security(Security.development()).build()))
                .discovery(
                    MulticastDiscovery.create(
                        MulticastDiscovery.Config.builder()
                            .group(group)
                            .port(port)
                            .announceInterval(Duration.ofMillis(200))
                            .build()))
                .build());
    node.addService(
        new GreeterRunar.GreeterImplBase() {
          @Override
          public HelloReply sayHello(HelloRequest request) {
            return HelloReply.newBuilder()
                .setMessage("Hello " + request.getName() + " from process-b")
                .build();
          }
        });
    node.start();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    PostAck ack = null;
    while (ack == null && System.nanoTime() < end) {
      try {
        ack =
            RoomRunar.newBlockingStub(node)
                .withTimeout(Duration.ofSeconds(2))
                .post(ChatMessage.newBuilder().setRoom("multicast").setText("hi from b").build());
      } catch (StatusException e) {
        Thread.sleep(100);
      }
    }
    System.out.println(ack == null ? "CHILD_FAILED" : "CHILD_CALLED " + ack.getId());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the parent to close our input
    }
    node.stop();
  }
}
