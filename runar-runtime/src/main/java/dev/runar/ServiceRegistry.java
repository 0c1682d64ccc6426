package dev.runar;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.runar.internal.Match;
import dev.runar.internal.PathTrie;
import dev.runar.registry.TopicPath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The services a node hosts, and the index from action paths to their handlers. */
final class ServiceRegistry {
  /** Bounds the route cache: a template action matches any number of concrete paths. */
  static final int MAX_CACHED_ROUTES = 1024;

  private final Map<TopicPath, HostedService> services = new LinkedHashMap<>();
  private final PathTrie<HostedService.Action> actions = new PathTrie<>();

  /**
   * Routes found, by concrete path: calls hit the same few paths, and a lookup here costs a hash
   * instead of a trie walk under the trie's lock. Every change to the services swaps in an empty
   * map, and a route is only ever stored into the map taken before its trie walk, so a route walked
   * before a change can never outlive it.
   */
  private volatile ConcurrentHashMap<TopicPath, Match<HostedService.Action>> routes =
      new ConcurrentHashMap<>();

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
    routes = new ConcurrentHashMap<>();
  }

  /** Unregisters the service at {@code path}; returns it, if there was one. */
  synchronized Optional<HostedService> remove(TopicPath path) {
    HostedService service = services.remove(path);
    if (service != null) {
      service.actions().forEach(a -> actions.remove(a.path(), a));
      routes = new ConcurrentHashMap<>();
    }
    return Optional.ofNullable(service);
  }

  synchronized Optional<HostedService> get(TopicPath path) {
    return Optional.ofNullable(services.get(path));
  }

  /** The action serving {@code path}, by the trie's precedence. */
  Optional<Match<HostedService.Action>> route(TopicPath path) {
    ConcurrentHashMap<TopicPath, Match<HostedService.Action>> cache = routes;
    Match<HostedService.Action> cached = cache.get(path);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Match<HostedService.Action>> found = actions.best(path);
    if (found.isPresent()) {
      if (cache.size() >= MAX_CACHED_ROUTES) {
        cache.clear();
      }
      cache.put(path, found.get());
    }
    return found;
  }

  /** Every service, in the order they were added. */
  synchronized ImmutableList<HostedService> services() {
    return ImmutableList.copyOf(services.values());
  }
}
