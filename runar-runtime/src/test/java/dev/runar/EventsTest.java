package dev.runar;

import static dev.runar.TestServices.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Int32Value;
import com.google.protobuf.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventsTest {
  private final Node node = TestServices.startedNode();

  @AfterEach
  void stop() {
    node.stop();
  }

  private static Event take(BlockingQueue<Event> queue) throws InterruptedException {
    Event e = queue.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no event within 10 s");
    }
    return e;
  }

  @Test
  void wildcardSubscribersReceiveTheConcreteTopic() throws Exception {
    BlockingQueue<Event> rest = new LinkedBlockingQueue<>();
    BlockingQueue<Event> single = new LinkedBlockingQueue<>();
    BlockingQueue<Event> template = new LinkedBlockingQueue<>();
    node.subscribe("sensors/>", rest::add);
    node.subscribe("sensors/*/temp", single::add);
    node.subscribe("sensors/{room}/temp", template::add);
    node.publish("sensors/kitchen/temp", str("21"));
    node.publish("sensors/kitchen/humidity/raw", str("40"));
    assertEquals("default:sensors/kitchen/temp", take(rest).topic().toString());
    assertEquals("default:sensors/kitchen/humidity/raw", take(rest).topic().toString());
    assertEquals(str("21"), take(single).payload());
    assertEquals(str("21"), take(template).payload(StringValue.class));
    node.publish("sensors/kitchen/temp", str("22"));
    assertEquals(str("22"), take(single).payload());
    assertTrue(single.isEmpty(), "humidity must not reach sensors/*/temp");
  }

  @Test
  void eachSubscriberSeesEventsInPublishOrder() throws Exception {
    int count = 2_000;
    List<Integer> a = new CopyOnWriteArrayList<>();
    List<Integer> b = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(2);
    node.subscribe(
        "n/>",
        e -> {
          a.add(e.payload(Int32Value.class).getValue());
          if (a.size() == count) {
            done.countDown();
          }
        });
    node.subscribe(
        "n/x",
        e -> {
          b.add(e.payload(Int32Value.class).getValue());
          if (b.size() == count) {
            done.countDown();
          }
        });
    for (int i = 0; i < count; i++) {
      node.publish("n/x", Int32Value.of(i));
    }
    assertTrue(done.await(10, TimeUnit.SECONDS));
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add(i);
    }
    assertEquals(expected, a);
    assertEquals(expected, b);
  }

  @Test
  void aFailingSubscriberIsIsolated() throws Exception {
    BlockingQueue<Event> healthy = new LinkedBlockingQueue<>();
    List<String> failingSaw = new CopyOnWriteArrayList<>();
    node.subscribe(
        "t/>",
        e -> {
          failingSaw.add(e.topic().actionPath());
          throw new IllegalStateException("subscriber bug");
        });
    node.subscribe("t/>", healthy::add);
    node.publish("t/1", str("a"));
    node.publish("t/2", str("b"));
    assertEquals(str("a"), take(healthy).payload());
    assertEquals(str("b"), take(healthy).payload());
    // The failing subscriber stays subscribed and keeps receiving.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (failingSaw.size() < 2 && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertEquals(List.of("t/1", "t/2"), failingSaw);
  }

  @Test
  void unsubscribeStopsDelivery() throws Exception {
    BlockingQueue<Event> first = new LinkedBlockingQueue<>();
    BlockingQueue<Event> witness = new LinkedBlockingQueue<>();
    Subscription s = node.subscribe("u/>", first::add);
    node.subscribe("u/>", witness::add);
    node.publish("u/1", str("1"));
    take(first);
    s.unsubscribe();
    s.unsubscribe(); // idempotent
    assertFalse(s.isActive());
    node.publish("u/2", str("2"));
    assertEquals(str("1"), take(witness).payload());
    assertEquals(str("2"), take(witness).payload());
    assertTrue(first.isEmpty());
  }

  @Test
  void lateSubscriberAskingForThePastGetsTheRetainedEventsFirst() throws Exception {
    node.publish("rooms/a/state", str("a1"));
    node.publish("rooms/a/state", str("a2"));
    node.publish("rooms/b/state", str("b1"));
    node.publish("other/x", str("o"));
    BlockingQueue<Event> past = new LinkedBlockingQueue<>();
    BlockingQueue<Event> noPast = new LinkedBlockingQueue<>();
    node.subscribe("rooms/*/state", SubscribeOptions.DEFAULT.withIncludePast(true), past::add);
    node.subscribe("rooms/*/state", noPast::add);
    node.publish("rooms/c/state", str("c1"));
    assertEquals(str("a2"), take(past).payload());
    assertEquals(str("b1"), take(past).payload());
    assertEquals(str("c1"), take(past).payload());
    assertEquals(str("c1"), take(noPast).payload());
    assertTrue(noPast.isEmpty());
  }

  @Test
  void retainedEventsAreBounded() throws Exception {
    Node small = Node.create(NodeConfig.builder().maxRetainedEvents(2).build()).start();
    try {
      small.publish("r/1", str("1"));
      small.publish("r/2", str("2"));
      small.publish("r/3", str("3"));
      BlockingQueue<Event> past = new LinkedBlockingQueue<>();
      small.subscribe("r/>", SubscribeOptions.DEFAULT.withIncludePast(true), past::add);
      assertEquals(str("2"), take(past).payload());
      assertEquals(str("3"), take(past).payload());
      assertEquals(null, past.poll(100, TimeUnit.MILLISECONDS));
    } finally {
      small.stop();
    }
  }

  @Test
  void typedTopicsDeliverTheMessageType() throws Exception {
    Topic<Int32Value> counter = Topic.of("stats/counter", Int32Value.getDefaultInstance());
    BlockingQueue<Int32Value> received = new LinkedBlockingQueue<>();
    node.subscribe(counter, received::add);
    node.publish(counter, Int32Value.of(7));
    assertEquals(7, received.poll(10, TimeUnit.SECONDS).getValue());
  }

  @Test
  void badTopicsAreRejected() {
    StatusException pattern =
        assertThrows(StatusException.class, () -> node.publish("a/>", str("x")));
    assertEquals(Status.Code.INVALID_ARGUMENT, pattern.code());
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        assertThrows(StatusException.class, () -> node.publish("a//b", str("x"))).code());
    assertThrows(IllegalArgumentException.class, () -> Topic.of("a/*", str("x")));
  }

  @Test
  void eventsOfAnotherNetworkDoNotMatch() throws Exception {
    BlockingQueue<Event> q = new LinkedBlockingQueue<>();
    node.subscribe("n/>", q::add);
    node.publish("lab:n/1", str("lab"));
    node.publish("n/1", str("mine"));
    assertEquals(str("mine"), take(q).payload());
    assertTrue(q.isEmpty());
  }
}
