package dev.runar;

import java.util.List;

/**
 * One delivery of an event to one subscriber, as {@link EventInterceptor#interceptDelivery} sees
 * it. Used on the delivering thread only, for the one delivery.
 */
public final class EventDelivery {
  private final Event event;
  private final String pattern;
  private final List<EventInterceptor> interceptors;
  private final EventHandler handler;
  private int next;

  EventDelivery(
      Event event, String pattern, List<EventInterceptor> interceptors, EventHandler handler) {
    this.event = event;
    this.pattern = pattern;
    this.interceptors = interceptors;
    this.handler = handler;
  }

  /** The event delivered. */
  public Event event() {
    return event;
  }

  /** The pattern of the subscription it is delivered to, e.g. {@code sensors/>}. */
  public String subscriptionPattern() {
    return pattern;
  }

  /**
   * Runs the next interceptor, or the subscriber's handler after the last one; throws what the
   * handler threw.
   *
   * @throws IllegalStateException when the handler already ran
   */
  public void proceed() throws Exception {
    int i = next++;
    if (i < interceptors.size()) {
      interceptors.get(i).interceptDelivery(this);
    } else if (i == interceptors.size()) {
      handler.onEvent(event);
    } else {
      throw new IllegalStateException("the event was already delivered");
    }
  }
}
