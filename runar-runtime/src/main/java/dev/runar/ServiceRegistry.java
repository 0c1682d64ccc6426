package dev.runar;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.runar.internal.LookupCache;
import dev.runar.internal.Match;
import dev.runar.internal.PathTrie;
import dev.runar.registry.TopicPath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The services a node hosts, and the index from action paths to their handlers. */
final class ServiceRegistry {
  /** Bounds the route cache: a template action matches any number of concrete paths. */
  static final int MAX_CACHED_ROUTES = 1024;

  private final Map<TopicPath, HostedService> services = new LinkedHashMap<>();
  private final PathTrie<HostedService.Action> actions = new PathTrie<>();

  /**
   * Routes by concrete path, found or not: a remote call asks first whether a handler here serves
   * its path.
   */
  private final LookupCache<TopicPath, Optional<Match<HostedService.Action>>> routes =
      new LookupCache<>(MAX_CACHED_ROUTES, actions::best);

  /**
   * Registers {@code service}'s actions.
   *
   * @throws IllegalArgumentException when a service already sits at its path, or another service
   *     registered one of its action paths
   */
  synchronized void add(HostedService service) {
    checkArgument(
        !services.containsKey(service.path()), "a service is already at %s", service.path());
    for (HostedService.Action a : service.actions()) {
      checkArgument(actions.exact(a.path()).isEmpty(), "action %s is already registered", a.path());
    }
    services.put(service.path(), service);
    service.actions().forEach(a -> actions.add(a.path(), a));
    routes.invalidate();
  }

  /** Unregisters the service at {@code path}; returns it, if there was one. */
  synchronized Optional<HostedService> remove(TopicPath path) {
    HostedService service = services.remove(path);
    if (service != null) {
      service.actions().forEach(a -> actions.remove(a.path(), a));
      routes.invalidate();
    }
    return Optional.ofNullable(service);
  }

  synchronized Optional<HostedService> get(TopicPath path) {
    return Optional.ofNullable(services.get(path));
  }

  /** The action serving {@code path}, by the trie's precedence. */
  Optional<Match<HostedService.Action>> route(TopicPath path) {
    return routes.get(path);
  }

  /** Every service, in the order they were added. */
  synchronized ImmutableList<HostedService> services() {
    return ImmutableList.copyOf(services.values());
  }
}
