package dev.runar.examples.demo;

import dev.runar.Node;
import dev.runar.examples.greeter.GreeterService;
import dev.runar.examples.sensors.SensorFeed;
import dev.runar.examples.sensors.TemperatureReading;
import dev.runar.examples.sensors.ThermostatService;
import dev.runar.network.Peers.PeerState;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One of the demo's other processes. {@code greeter}: hosts the greeter and watches temperatures
 * through the wildcard {@code sensors/*}. {@code sensors}: hosts the thermostat and publishes
 * readings. Each prints what happens, and stops (saying goodbye) when its standard input closes.
 */
public final class DemoNode {
  private DemoNode() {}

  public static void main(String[] args) throws Exception {
    String role = args[0];
    DemoSettings settings = DemoSettings.fromArguments(args, 1);
    Node node = settings.node(role);
    AtomicBoolean leaving = new AtomicBoolean();
    node.peers()
        .addListener(
            (before, after) -> {
              if (after != null
                  && after.state() == PeerState.CONNECTED
                  && (before == null || before.state() != PeerState.CONNECTED)) {
                say(role, "connected to " + after.nodeId());
              } else if (!leaving.get()
                  && before != null
                  && before.state() == PeerState.CONNECTED
                  && (after == null || after.state() != PeerState.CONNECTED)) {
                say(role, "noticed that " + before.nodeId() + " left");
              }
            });
    Thread publisher = null;
    if (role.equals("greeter")) {
      node.addService(new GreeterService());
      AtomicInteger seen = new AtomicInteger();
      node.subscribe(
          "sensors/*",
          event -> {
            if (event.is(TemperatureReading.class) && seen.incrementAndGet() <= 2) {
              TemperatureReading t = event.payload(TemperatureReading.class);
              say(
                  role,
                  "received "
                      + event.topic().actionPath()
                      + ": "
                      + t.getRoom()
                      + " "
                      + t.getCelsius()
                      + " °C");
            }
          });
      node.start();
    } else {
      node.addService(new ThermostatService());
      node.start();
      SensorFeed feed = new SensorFeed(node);
      publisher =
          new Thread(
              () -> {
                try {
                  while (!Thread.currentThread().isInterrupted()) {
                    feed.publishRound();
                    Thread.sleep(200);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "sensor-feed");
      publisher.setDaemon(true);
      publisher.start();
    }
    say(role, "started");
    while (System.in.read() >= 0) {
      // runs until the demo closes our standard input
    }
    leaving.set(true);
    if (publisher != null) {
      publisher.interrupt();
      publisher.join(1_000);
    }
    node.stop();
    say(role, "stopped");
  }

  private static void say(String role, String what) {
    System.out.println(role + ": " + what);
    System.out.flush();
  }
}
