package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runar.Node;
import dev.runar.Status;
import dev.runar.StatusException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InventoryServiceTest {
  private final Node node = Node.create().start();

  @AfterEach
  void stop() {
    node.stop();
  }

  @Test
  void restockThroughTheGeneratedStubsAndEvents() throws Exception {
    node.addService(new InventoryService());
    BlockingQueue<StockChanged> changes = new LinkedBlockingQueue<>();
    node.subscribe(InventoryTopics.STOCK_CHANGED, changes::add);

    InventoryRunar.InventoryBlockingStub stub = InventoryRunar.newBlockingStub(node);
    stub.restock(RestockRequest.newBuilder().setSku("apple").setQuantity(3).build());
    StockLevel level = InventoryRunar.newFutureStub(node)
        .restock(RestockRequest.newBuilder().setSku("apple").setQuantity(2).build())
        .get(10, TimeUnit.SECONDS);
    assertEquals(5, level.getCount());
    assertEquals(3, changes.poll(10, TimeUnit.SECONDS).getLevel().getCount());
    assertEquals(5, changes.poll(10, TimeUnit.SECONDS).getLevel().getCount());

    StatusException bad = assertThrows(StatusException.class,
        () -> stub.restock(RestockRequest.newBuilder().setSku("apple").setQuantity(0).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.code());
    assertEquals("inventory/Restock", InventoryRunar.PATH_RESTOCK);
  }
}
