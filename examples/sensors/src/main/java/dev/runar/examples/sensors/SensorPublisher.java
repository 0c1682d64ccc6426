package dev.runar.examples.sensors;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.discovery.MulticastDiscovery;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;

/**
 * Process 1 of the sensor example: hosts the thermostat and publishes readings every second until
 * stopped (Ctrl-C). Run {@link SensorWatcher} in other terminals.
 */
public final class SensorPublisher {
  static final String NETWORK = "sensor-example";

  private SensorPublisher() {}

  static Node node() {
    return Node.create(
        NodeConfig.builder()
            .networkId(NETWORK)
            .transport(
                new QuicTransport(
                    QuicTransportConfig.builder().security(Security.development()).build()))
            .discovery(MulticastDiscovery.create())
            .build());
  }

  public static void main(String[] args) throws InterruptedException {
    Node node = node();
    node.addService(new ThermostatService());
    node.start();
    Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
    SensorFeed feed = new SensorFeed(node);
    System.out.println("Sensor node " + node.nodeId() + " publishes on sensors/... every second.");
    while (true) {
      feed.publishRound();
      Thread.sleep(1_000);
    }
  }
}
