package com.example.shop;

import com.google.protobuf.Timestamp;
import dev.runar.Node;
import dev.runar.Status;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The server: extend the generated base and override the rpcs. */
public final class InventoryService extends InventoryRunar.InventoryImplBase {
  private final Map<String, Integer> stock = new ConcurrentHashMap<>();
  private Node node;

  @Override
  public void init(Node node) {
    this.node = node;
  }

  @Override
  public StockLevel restock(RestockRequest request) {
    if (request.getQuantity() <= 0) {
      throw Status.INVALID_ARGUMENT.withDescription("quantity must be positive").asException();
    }
    int count = stock.merge(request.getSku(), request.getQuantity(), Integer::sum);
    Instant now = Instant.now();
    StockLevel level = StockLevel.newBuilder()
        .setSku(request.getSku())
        .setCount(count)
        .setAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build();
    node.publish(InventoryTopics.STOCK_CHANGED, StockChanged.newBuilder().setLevel(level).build());
    return level;
  }
}
