package dev.runar;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses a call's provider among this node's own handler (when offered) and the peers serving its
 * path: leaves out those an earlier attempt of the call tried and those outlier detection set aside
 * (unless that leaves none), then asks the configured {@link LoadBalancer}. Thread-safe.
 */
final class ProviderPicker {
  private final String localNodeId;
  private final LoadBalancer balancer;
  private final ProviderHealth health;

  ProviderPicker(String localNodeId, ServiceConfig config) {
    this.localNodeId = localNodeId;
    this.balancer = config.loadBalancer();
    this.health = new ProviderHealth(config.outlierDetection());
  }

  /** A candidate: a peer's action, or (with no action) this node's own handler. */
  private record Option(
      String nodeId, Optional<RemoteService.Action> action, int outstandingCalls, boolean ejected)
      implements LoadBalancer.Candidate {
    @Override
    public boolean isLocal() {
      return action.isEmpty();
    }
  }

  ProviderHealth health() {
    return health;
  }

  String localNodeId() {
    return localNodeId;
  }

  /** Whether a call with a local handler goes to it without asking the balancer. */
  boolean prefersLocal() {
    return balancer.prefersLocal();
  }

  /**
   * The chosen provider: a peer's action, or empty for this node's own handler (offered when {@code
   * withLocal}); no choice at all when there is no candidate. Prefers, in turn: providers neither
   * set aside nor tried, those not set aside, then any.
   *
   * @param tried node ids earlier attempts of the call went to
   */
  Optional<Optional<RemoteService.Action>> pick(
      List<RemoteService.Action> remote, Set<String> tried, boolean withLocal) {
    if (remote.size() == 1 && !withLocal) { // one provider, the common case: nothing to weigh
      return Optional.of(Optional.of(remote.get(0)));
    }
    return weigh(remote, tried, withLocal);
  }

  // Apart from pick, which every remote call runs: C2 inlines a hot method only up to 325
  // bytecodes, and pick with this in it had 365.
  private Optional<Optional<RemoteService.Action>> weigh(
      List<RemoteService.Action> remote, Set<String> tried, boolean withLocal) {
    List<Option> any = new ArrayList<>(remote.size() + 1);
    boolean filter = !tried.isEmpty();
    if (withLocal) {
      filter |= add(any, localNodeId, Optional.empty());
    }
    for (RemoteService.Action action : remote) {
      filter |= add(any, action.service().peerId(), Optional.of(action));
    }
    if (any.isEmpty()) {
      return Optional.empty();
    }
    if (any.size() == 1) {
      return Optional.of(any.get(0).action());
    }
    List<Option> candidates = any;
    if (filter) { // the common case, nothing tried and nobody set aside, skips this
      List<Option> healthy = new ArrayList<>(any.size());
      List<Option> fresh = new ArrayList<>(any.size());
      for (Option option : any) {
        if (!option.ejected()) {
          healthy.add(option);
          if (!tried.contains(option.nodeId())) {
            fresh.add(option);
          }
        }
      }
      candidates = !fresh.isEmpty() ? fresh : !healthy.isEmpty() ? healthy : any;
    }
    return Optional.of(candidates.get(balancer.pick(candidates)).action());
  }

  /** Adds a candidate to {@code options}; true when outlier detection set it aside. */
  private boolean add(List<Option> options, String nodeId, Optional<RemoteService.Action> action) {
    ProviderHealth.Provider provider = health.provider(nodeId);
    boolean ejected = provider.isEjected();
    options.add(new Option(nodeId, action, provider.outstanding(), ejected));
    return ejected;
  }
}
