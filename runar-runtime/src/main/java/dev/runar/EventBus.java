package dev.runar;

import com.google.common.collect.ConcurrentHashMultiset;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Multiset;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Message;
import dev.runar.internal.Match;
import dev.runar.internal.PathTrie;
import dev.runar.registry.TopicPath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's local publish/subscribe: matches published topics against subscription patterns,
 * delivers to each subscriber in publish order, and retains the last event per topic.
 *
 * <p>Ordering: publishing and subscribing take one lock, and each subscriber owns a sequential
 * queue over the shared executor; so every subscriber sees events in the order they were published,
 * and a subscriber asking for past events sees them before any newer one.
 */
final class EventBus {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);

  private final Executor executor;
  private final EventInterception interception;
  private final int maxRetained;
  private final Runnable onSubscriptionsChanged;
  private final Multiset<TopicPath> patterns = ConcurrentHashMultiset.create();
  private final PathTrie<Subscriber> subscriptions = new PathTrie<>();
  private final Object lock = new Object();
  // Insertion order doubles as recency: a topic is removed and re-put on every publish.
  private final LinkedHashMap<TopicPath, Event> retained = new LinkedHashMap<>();

  /**
   * @param onSubscriptionsChanged runs after the set of subscribed patterns changed
   */
  EventBus(
      Executor executor,
      EventInterception interception,
      int maxRetained,
      Runnable onSubscriptionsChanged) {
    this.executor = executor;
    this.interception = interception;
    this.maxRetained = maxRetained;
    this.onSubscriptionsChanged = onSubscriptionsChanged;
  }

  /** The distinct patterns with at least one subscriber. */
  ImmutableSet<TopicPath> patterns() {
    return ImmutableSet.copyOf(patterns.elementSet());
  }

  void publish(TopicPath topic, Message payload, Metadata metadata) {
    Event event = new Event(topic, payload, metadata);
    synchronized (lock) {
      retain(event);
      for (Match<Subscriber> match : subscriptions.all(topic)) {
        match.value().deliver(event);
      }
    }
  }

  Subscription subscribe(TopicPath pattern, SubscribeOptions options, EventHandler handler) {
    Subscriber subscriber = new Subscriber(pattern, handler);
    boolean newPattern;
    synchronized (lock) {
      subscriptions.add(pattern, subscriber);
      newPattern = patterns.add(pattern, 1) == 0;
      if (options.includePast()) {
        List<Event> past = new ArrayList<>();
        retained.forEach((topic, e) -> pattern.match(topic).ifPresent(p -> past.add(e)));
        past.forEach(subscriber::deliver);
      }
    }
    if (newPattern) {
      onSubscriptionsChanged.run();
    }
    return subscriber;
  }

  private void retain(Event event) {
    if (maxRetained == 0) {
      return;
    }
    retained.remove(event.topic());
    retained.put(event.topic(), event);
    Iterator<TopicPath> oldest = retained.keySet().iterator();
    while (retained.size() > maxRetained) {
      oldest.next();
      oldest.remove();
    }
  }

  private final class Subscriber implements Subscription {
    private final TopicPath pattern;
    private final EventHandler handler;
    private final Executor queue = MoreExecutors.newSequentialExecutor(executor);
    private volatile boolean active = true;

    Subscriber(TopicPath pattern, EventHandler handler) {
      this.pattern = pattern;
      this.handler = handler;
    }

    void deliver(Event event) {
      try {
        queue.execute(() -> handle(event));
      } catch (RejectedExecutionException e) {
        interception.dropped(
            event.topic().toString(), "the executor refused the delivery to subscriber " + pattern);
      }
    }

    private void handle(Event event) {
      if (!active) {
        return;
      }
      try {
        interception.deliver(event, pattern, handler);
      } catch (Exception e) {
        log.warn("subscriber to {} failed on an event of {}", pattern, event.topic(), e);
      }
    }

    @Override
    public String pattern() {
      return pattern.toString();
    }

    @Override
    public void unsubscribe() {
      boolean patternGone;
      synchronized (lock) {
        if (!active) {
          return;
        }
        active = false;
        subscriptions.remove(pattern, this);
        patternGone = patterns.remove(pattern, 1) == 1;
      }
      if (patternGone) {
        onSubscriptionsChanged.run();
      }
    }

    @Override
    public boolean isActive() {
      return active;
    }
  }
}
