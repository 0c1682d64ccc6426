package dev.runar.examples.sensors;

import dev.runar.Node;

/** Process 2 of the sensor example: prints every reading, through one wildcard subscription. */
public final class SensorWatcher {
  private SensorWatcher() {}

  public static void main(String[] args) throws InterruptedException {
    Node node = SensorPublisher.node();
    node.subscribe(
        "sensors/>",
        event -> {
          if (event.is(TemperatureReading.class)) {
            TemperatureReading t = event.payload(TemperatureReading.class);
            System.out.printf("%s: %s %.1f °C%n", event.topic(), t.getRoom(), t.getCelsius());
          } else if (event.is(HumidityReading.class)) {
            HumidityReading h = event.payload(HumidityReading.class);
            System.out.printf("%s: %s %.0f %%%n", event.topic(), h.getRoom(), h.getPercent());
          }
        });
    node.start();
    Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
    System.out.println("Watching sensors/> (Ctrl-C stops).");
    Thread.currentThread().join();
  }
}
