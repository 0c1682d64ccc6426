package dev.runar;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.runar.internal.LookupCache;
import dev.runar.internal.Match;
import dev.runar.internal.PathTrie;
import dev.runar.network.Addresses;
import dev.runar.network.PeerConnection;
import dev.runar.registry.TopicPath;
import dev.runar.wire.NodeInfo;
import dev.runar.wire.ServiceCapability;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which peer serves which path, and which peer subscribes to which topics: the routing tables built
 * from what connected peers advertise ({@link RemoteService} proxies and remote subscriptions),
 * kept in line with each capability update by applying only what changed, and the choice of a
 * provider for a call (round-robin among the open peers serving the most specific matching
 * pattern). Thread-safe: changes are serialized, lookups are lock-free reads of thread-safe tables.
 */
final class RemoteRoutes {
  private static final Logger log = LoggerFactory.getLogger(RemoteRoutes.class);

  private final PeerRegistry peers;
  private final PathTrie<RemoteService.Action> remoteActions = new PathTrie<>();

  /** Providers' matches by concrete path, every provider's (open or not): two lookups a call. */
  private final LookupCache<TopicPath, Matches> matches =
      new LookupCache<>(
          ServiceRegistry.MAX_CACHED_ROUTES, path -> Matches.of(remoteActions.all(path)));

  /**
   * A concrete path's matches, most specific first, and the actions of those with the most specific
   * pattern: the providers whenever all of those are open, as they almost always are.
   */
  private record Matches(
      List<Match<RemoteService.Action>> all, ImmutableList<RemoteService.Action> mostSpecific) {
    static Matches of(List<Match<RemoteService.Action>> all) {
      ImmutableList.Builder<RemoteService.Action> first = ImmutableList.builder();
      for (Match<RemoteService.Action> m : all) {
        if (!m.pattern().equals(all.get(0).pattern())) {
          break;
        }
        first.add(m.value());
      }
      return new Matches(all, first.build());
    }
  }

  private final PathTrie<String> remoteSubscriptions = new PathTrie<>();
  private final Map<String, RemotePeer> connected = new ConcurrentHashMap<>();
  private final ProviderPicker picker;

  /** What a connected peer contributes to this node's routing tables. */
  private record RemotePeer(
      PeerConnection connection,
      ImmutableMap<TopicPath, RemoteService.Action> actions,
      ImmutableSet<TopicPath> subscriptions,
      long capabilityVersion) {}

  /**
   * @param peers where connected peers' info and addresses are recorded
   * @param picker chooses among the providers of a path
   */
  RemoteRoutes(PeerRegistry peers, ProviderPicker picker) {
    this.peers = peers;
    this.picker = picker;
  }

  ProviderPicker picker() {
    return picker;
  }

  /**
   * Brings the routing tables in line with what {@code connection}'s peer advertises: only what
   * changed since its last capability version is removed or added.
   */
  synchronized void apply(PeerConnection connection) {
    NodeInfo info = connection.peerInfo();
    String peerId = connection.peerId();
    RemotePeer old = connected.get(peerId);
    if (old != null
        && old.connection() == connection
        && info.getCapabilityVersion() <= old.capabilityVersion()) {
      return; // stale or repeated
    }
    Map<TopicPath, RemoteService.Action> before = new HashMap<>();
    Set<TopicPath> subscribedBefore = new LinkedHashSet<>();
    if (old != null) {
      if (old.connection() == connection) {
        before.putAll(old.actions());
        subscribedBefore.addAll(old.subscriptions());
      } else { // a replacement connection: start over
        old.actions().forEach(remoteActions::remove);
        old.subscriptions().forEach(p -> remoteSubscriptions.remove(p, peerId));
      }
    }
    ImmutableMap.Builder<TopicPath, RemoteService.Action> after = ImmutableMap.builder();
    for (ServiceCapability capability : info.getServicesList()) {
      for (RemoteService.Action action : new RemoteService(connection, capability).actions()) {
        RemoteService.Action kept = before.remove(action.path());
        if (kept != null && kept.capability().equals(action.capability())) {
          after.put(action.path(), kept);
        } else {
          if (kept != null) {
            remoteActions.remove(kept.path(), kept);
          }
          remoteActions.add(action.path(), action);
          after.put(action.path(), action);
        }
      }
    }
    before.forEach(remoteActions::remove);
    matches.invalidate();
    ImmutableSet.Builder<TopicPath> subscribed = ImmutableSet.builder();
    for (String pattern : info.getSubscriptionsList()) {
      TopicPath path;
      try {
        path = TopicPath.parse(pattern);
      } catch (IllegalArgumentException e) {
        log.warn("peer {} advertised a malformed subscription '{}'", peerId, pattern);
        continue;
      }
      subscribed.add(path);
      if (!subscribedBefore.remove(path)) {
        remoteSubscriptions.add(path, peerId);
      }
    }
    subscribedBefore.forEach(p -> remoteSubscriptions.remove(p, peerId));
    connected.put(
        peerId,
        new RemotePeer(
            connection, after.buildKeepingLast(), subscribed.build(), info.getCapabilityVersion()));
    peers.connected(info, addresses(info));
  }

  /**
   * Takes {@code connection}'s routes out of the tables; returns false (and changes nothing) when
   * it is not the connection they are on (a replaced or duplicate one).
   */
  synchronized boolean remove(PeerConnection connection) {
    RemotePeer peer = connected.get(connection.peerId());
    if (peer == null || peer.connection() != connection) {
      return false;
    }
    connected.remove(connection.peerId());
    peer.actions().forEach(remoteActions::remove);
    matches.invalidate();
    peer.subscriptions().forEach(p -> remoteSubscriptions.remove(p, connection.peerId()));
    return true;
  }

  /** Whether {@code peerId}'s services are routed, over an open connection or one going away. */
  boolean routes(String peerId) {
    return connected.containsKey(peerId);
  }

  /** The open connection to {@code peerId} the routes use, if any. */
  Optional<PeerConnection> connection(String peerId) {
    RemotePeer peer = peerId.isEmpty() ? null : connected.get(peerId);
    return peer != null && peer.connection().isOpen()
        ? Optional.of(peer.connection())
        : Optional.empty();
  }

  /** The connections of the peers subscribed to a pattern that matches {@code topic}, once each. */
  List<PeerConnection> subscribers(TopicPath topic) {
    Set<String> targets = new LinkedHashSet<>();
    for (Match<String> match : remoteSubscriptions.all(topic)) {
      targets.add(match.value());
    }
    List<PeerConnection> connections = new ArrayList<>(targets.size());
    for (String peerId : targets) {
      RemotePeer peer = connected.get(peerId);
      if (peer != null) {
        connections.add(peer.connection());
      }
    }
    return connections;
  }

  private static List<InetSocketAddress> addresses(NodeInfo info) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String address : info.getListenAddressesList()) {
      try {
        addresses.add(Addresses.parseNumeric(address));
      } catch (IllegalArgumentException e) {
        // ignore a malformed or named address: the connection itself works
      }
    }
    return addresses;
  }

  /**
   * The provider the load balancer picks among the open peers serving the most specific pattern
   * that matches {@code target}, other than those {@code excluded} (node ids): a call refused
   * unstarted goes only to a provider it has not tried.
   */
  Optional<RemoteService.Action> pick(TopicPath target, Set<String> excluded) {
    List<RemoteService.Action> providers = providers(target);
    if (!excluded.isEmpty()) {
      providers = providers.stream().filter(a -> !excluded.contains(a.service().peerId())).toList();
    }
    return picker.pick(providers, Set.of(), false).flatMap(a -> a);
  }

  /**
   * A policy attempt's provider: one of the peers serving {@code target} or, when {@code
   * withLocal}, this node's own handler (an empty action); preferably one the call has not {@code
   * tried}. Empty when there is none.
   */
  Optional<Optional<RemoteService.Action>> choose(
      TopicPath target, Set<String> tried, boolean withLocal) {
    return picker.pick(providers(target), tried, withLocal);
  }

  /** Whether a peer serving {@code target} advertises its method as idempotent. */
  boolean advertisedIdempotent(TopicPath target) {
    for (RemoteService.Action action : providers(target)) {
      if (action.capability().getIdempotent()) {
        return true;
      }
    }
    return false;
  }

  /** The open peers serving the most specific pattern that matches {@code target}. */
  private List<RemoteService.Action> providers(TopicPath target) {
    Matches found = matches.get(target);
    if (allOpen(found.mostSpecific())) {
      return found.mostSpecific();
    }
    ImmutableList.Builder<RemoteService.Action> open = ImmutableList.builder();
    TopicPath best = null;
    for (Match<RemoteService.Action> m : found.all()) {
      if (!m.value().service().connection().isOpen()) {
        continue;
      }
      if (best == null) {
        best = m.pattern();
      } else if (!best.equals(m.pattern())) {
        break;
      }
      open.add(m.value());
    }
    return open.build();
  }

  private static boolean allOpen(List<RemoteService.Action> actions) {
    for (RemoteService.Action action : actions) {
      if (!action.service().connection().isOpen()) {
        return false;
      }
    }
    return true;
  }
}
