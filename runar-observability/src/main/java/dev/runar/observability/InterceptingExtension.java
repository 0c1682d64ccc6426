package dev.runar.observability;

import com.google.common.collect.ImmutableList;
import dev.runar.ClientInterceptor;
import dev.runar.EventInterceptor;
import dev.runar.NodeExtension;
import dev.runar.ServerInterceptor;
import java.util.List;

/**
 * An extension whose interceptors are fixed when it is made: the one place the three lists live.
 * Immutable and thread-safe itself; subclasses add start and stop hooks as they need.
 */
abstract class InterceptingExtension implements NodeExtension {
  private final ImmutableList<ClientInterceptor> client;
  private final ImmutableList<ServerInterceptor> server;
  private final ImmutableList<EventInterceptor> events;

  InterceptingExtension(
      List<? extends ClientInterceptor> client,
      List<? extends ServerInterceptor> server,
      List<? extends EventInterceptor> events) {
    this.client = ImmutableList.copyOf(client);
    this.server = ImmutableList.copyOf(server);
    this.events = ImmutableList.copyOf(events);
  }

  @Override
  public final List<ClientInterceptor> clientInterceptors() {
    return client;
  }

  @Override
  public final List<ServerInterceptor> serverInterceptors() {
    return server;
  }

  @Override
  public final List<EventInterceptor> eventInterceptors() {
    return events;
  }
}
