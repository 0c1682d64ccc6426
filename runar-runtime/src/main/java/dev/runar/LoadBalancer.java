package dev.runar;

import java.util.List;

/**
 * Chooses which provider serves a call, among those that can: this node's own handler (when the
 * balancer is offered it) and the connected peers serving the call's path, less those outlier
 * detection has set aside for a while. The built-in policies: {@link #roundRobin()} (the default
 * among peers), {@link #leastOutstandingRequests()}, and {@link #localFirst} (this node's own
 * handler whenever it has one, today's default). Implementations must be thread-safe: they are
 * asked concurrently, from any thread, and must not block.
 */
public interface LoadBalancer {
  /** One provider a call may go to. */
  interface Candidate {
    /** The providing node's id. */
    String nodeId();

    /** Whether it is this node's own handler (a local call). */
    boolean isLocal();

    /** Calls this node has sent it that have not finished yet. */
    int outstandingCalls();
  }

  /**
   * The index in {@code candidates} of the provider for the next call. Asked only when there are
   * two or more: a call with one candidate goes to it.
   *
   * @param candidates the providers, in a stable order for a given set of them
   */
  int pick(List<? extends Candidate> candidates);

  /**
   * Whether this node's own handler, when there is one, serves every call without asking {@link
   * #pick}: true for {@link #localFirst}. When false, the local handler is one candidate among the
   * peers.
   */
  default boolean prefersLocal() {
    return false;
  }

  /** Each provider in turn. */
  static LoadBalancer roundRobin() {
    return new LoadBalancers.RoundRobin();
  }

  /**
   * The provider with the fewest calls outstanding from this node (a random one among equals): a
   * slower provider, whose calls last longer, gets fewer of them.
   */
  static LoadBalancer leastOutstandingRequests() {
    return new LoadBalancers.LeastOutstanding();
  }

  /** This node's own handler when it has one; otherwise {@code remote} chooses among peers. */
  static LoadBalancer localFirst(LoadBalancer remote) {
    return new LoadBalancers.LocalFirst(remote);
  }
}
