package dev.runar;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** The built-in {@link LoadBalancer} policies. Each is thread-safe and lock-free. */
final class LoadBalancers {
  private LoadBalancers() {}

  /** Each candidate in turn. */
  static final class RoundRobin implements LoadBalancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public int pick(List<? extends Candidate> candidates) {
      return Math.floorMod(next.getAndIncrement(), candidates.size());
    }

    @Override
    public String toString() {
      return "round_robin";
    }
  }

  /** The candidate with the fewest outstanding calls; ties broken at random. */
  static final class LeastOutstanding implements LoadBalancer {
    @Override
    public int pick(List<? extends Candidate> candidates) {
      int best = -1;
      int bestLoad = Integer.MAX_VALUE;
      int ties = 0;
      for (int i = 0; i < candidates.size(); i++) {
        int load = candidates.get(i).outstandingCalls();
        if (load < bestLoad) {
          best = i;
          bestLoad = load;
          ties = 1;
        } else if (load == bestLoad && ThreadLocalRandom.current().nextInt(++ties) == 0) {
          best = i; // reservoir sampling: each of the tied candidates equally likely
        }
      }
      return best;
    }

    @Override
    public String toString() {
      return "least_request";
    }
  }

  /** The local candidate when there is one, else what {@code remote} picks. */
  static final class LocalFirst implements LoadBalancer {
    private final LoadBalancer remote;

    LocalFirst(LoadBalancer remote) {
      this.remote = Objects.requireNonNull(remote, "remote");
    }

    @Override
    public int pick(List<? extends Candidate> candidates) {
      for (int i = 0; i < candidates.size(); i++) {
        if (candidates.get(i).isLocal()) {
          return i;
        }
      }
      return remote.pick(candidates);
    }

    @Override
    public boolean prefersLocal() {
      return true;
    }

    @Override
    public String toString() {
      return "local_first(" + remote + ")";
    }
  }
}
