package dev.runar.examples.sensors;

import dev.runar.Node;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The example's thermostat: remembers a target temperature per room. */
public final class ThermostatService extends ThermostatRunar.ThermostatImplBase {
  private final Map<String, Double> targets = new ConcurrentHashMap<>();
  private volatile String nodeId = "";

  @Override
  public void init(Node node) {
    nodeId = node.nodeId();
  }

  @Override
  public TargetReply setTarget(TargetRequest request) {
    Double previous = targets.put(request.getRoom(), request.getCelsius());
    return TargetReply.newBuilder()
        .setPreviousCelsius(previous == null ? 20.0 : previous)
        .setNodeId(nodeId)
        .build();
  }
}
