package dev.runar.examples.sensors;

import dev.runar.Node;
import java.util.List;

/** Publishes simulated readings for a few rooms, as typed events. */
public final class SensorFeed {
  private static final List<String> ROOMS = List.of("kitchen", "office");

  private final Node node;
  private long sequence;

  public SensorFeed(Node node) {
    this.node = node;
  }

  /** Publishes one temperature and one humidity reading for each room. */
  public void publishRound() {
    for (String room : ROOMS) {
      sequence++;
      node.publish(
          SensorsTopics.TEMPERATURE_READING,
          TemperatureReading.newBuilder()
              .setRoom(room)
              .setCelsius(19.5 + (sequence % 7) * 0.5)
              .setSequence(sequence)
              .build());
      node.publish(
          SensorsTopics.HUMIDITY_READING,
          HumidityReading.newBuilder()
              .setRoom(room)
              .setPercent(40 + sequence % 10)
              .setSequence(sequence)
              .build());
    }
  }
}
