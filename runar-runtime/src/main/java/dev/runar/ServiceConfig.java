package dev.runar;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableMap;
import dev.runar.registry.TopicPath;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How this node calls services, in the spirit of gRPC's service config: retry and hedging policies
 * per service or method ({@code methodConfig.retryPolicy}, {@code hedgingPolicy}), the retry budget
 * ({@code retryThrottling}), the load-balancing policy ({@code loadBalancingConfig}) and outlier
 * detection. Set it with {@link NodeConfig.Builder#serviceConfig}; a call's {@link
 * CallOptions#withRetryPolicy} overrides it. Immutable and thread-safe. See docs/retries.md and
 * docs/load-balancing.md.
 */
public final class ServiceConfig {
  /**
   * Defaults: idempotent methods retried by {@link RetryPolicy#IDEMPOTENT_DEFAULT}, round-robin.
   */
  public static final ServiceConfig DEFAULT = builder().build();

  private final ImmutableMap<String, RetryPolicy> retryPolicies;
  private final ImmutableMap<String, HedgingPolicy> hedgingPolicies;
  private final Optional<RetryPolicy> defaultRetryPolicy;
  private final RetryPolicy idempotentRetryPolicy;
  private final int retryMaxTokens;
  private final double retryTokenRatio;
  private final LoadBalancer loadBalancer;
  private final OutlierDetection outlierDetection;

  private ServiceConfig(Builder b) {
    this.retryPolicies = ImmutableMap.copyOf(b.retryPolicies);
    this.hedgingPolicies = ImmutableMap.copyOf(b.hedgingPolicies);
    this.defaultRetryPolicy = Optional.ofNullable(b.defaultRetryPolicy);
    this.idempotentRetryPolicy = b.idempotentRetryPolicy;
    this.retryMaxTokens = b.retryMaxTokens;
    this.retryTokenRatio = b.retryTokenRatio;
    this.loadBalancer = b.loadBalancer;
    this.outlierDetection = b.outlierDetection;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The policy configured for {@code target}: its method's, else its service's, else the default
   * one; empty when none is configured.
   */
  Optional<RetryPolicy> retryPolicy(TopicPath target) {
    return lookup(retryPolicies, target).or(() -> defaultRetryPolicy);
  }

  /** The hedging policy configured for {@code target}'s method, else its service; empty: none. */
  Optional<HedgingPolicy> hedgingPolicy(TopicPath target) {
    return lookup(hedgingPolicies, target);
  }

  private static <P> Optional<P> lookup(ImmutableMap<String, P> policies, TopicPath target) {
    if (policies.isEmpty()) {
      return Optional.empty();
    }
    String method = target.actionPath();
    P policy = policies.get(method);
    if (policy == null) {
      int slash = method.lastIndexOf('/');
      policy = slash > 0 ? policies.get(method.substring(0, slash)) : null;
    }
    return Optional.ofNullable(policy);
  }

  /** What an idempotent method with no policy configured gets. */
  RetryPolicy idempotentRetryPolicy() {
    return idempotentRetryPolicy;
  }

  /** The retry budget's size in tokens; 0: no budget (retries are never throttled). */
  int retryMaxTokens() {
    return retryMaxTokens;
  }

  double retryTokenRatio() {
    return retryTokenRatio;
  }

  public LoadBalancer loadBalancer() {
    return loadBalancer;
  }

  public OutlierDetection outlierDetection() {
    return outlierDetection;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("retryPolicies", retryPolicies)
        .add("hedgingPolicies", hedgingPolicies)
        .add("defaultRetryPolicy", defaultRetryPolicy.orElse(null))
        .add("idempotentRetryPolicy", idempotentRetryPolicy)
        .add("retryMaxTokens", retryMaxTokens)
        .add("retryTokenRatio", retryTokenRatio)
        .add("loadBalancer", loadBalancer)
        .add("outlierDetection", outlierDetection)
        .omitNullValues()
        .toString();
  }

  /** Builds a {@link ServiceConfig}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, RetryPolicy> retryPolicies = new HashMap<>();
    private final Map<String, HedgingPolicy> hedgingPolicies = new HashMap<>();
    private RetryPolicy defaultRetryPolicy;
    private RetryPolicy idempotentRetryPolicy = RetryPolicy.IDEMPOTENT_DEFAULT;
    private int retryMaxTokens = 10;
    private double retryTokenRatio = 0.1;
    private LoadBalancer loadBalancer = LoadBalancer.localFirst(LoadBalancer.roundRobin());
    private OutlierDetection outlierDetection = OutlierDetection.DEFAULT;

    private Builder() {}

    /**
     * The retry policy for a service ({@code "math"}) or one of its methods ({@code "math/add"}); a
     * method's own policy wins over its service's.
     */
    public Builder retryPolicy(String serviceOrMethod, RetryPolicy policy) {
      retryPolicies.put(checkPath(serviceOrMethod), Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /**
     * The hedging policy for a service or one of its methods; it applies to idempotent methods only
     * and, where it applies, takes the place of their retry policy (a call's own {@link
     * CallOptions#withRetryPolicy} still wins).
     */
    public Builder hedgingPolicy(String serviceOrMethod, HedgingPolicy policy) {
      hedgingPolicies.put(checkPath(serviceOrMethod), Objects.requireNonNull(policy, "policy"));
      return this;
    }

    private static String checkPath(String serviceOrMethod) {
      checkArgument(
          !serviceOrMethod.isEmpty() && serviceOrMethod.indexOf(':') < 0,
          "a service or method path without network: '%s'",
          serviceOrMethod);
      return serviceOrMethod;
    }

    /** The policy of every method with none of its own or its service's. Default: none. */
    public Builder defaultRetryPolicy(RetryPolicy policy) {
      this.defaultRetryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * What idempotent methods with no configured policy get; {@link RetryPolicy#NONE} turns their
     * retries off. Default: {@link RetryPolicy#IDEMPOTENT_DEFAULT}.
     */
    public Builder idempotentRetryPolicy(RetryPolicy policy) {
      this.idempotentRetryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The retry budget, as gRPC's {@code retryThrottling}: a bucket of {@code maxTokens} tokens,
     * full at first; each failed attempt takes one, each success gives back {@code tokenRatio}; no
     * call is retried while the bucket holds half its tokens or fewer. Default: 10 and 0.1.
     */
    public Builder retryThrottling(int maxTokens, double tokenRatio) {
      checkArgument(maxTokens > 0 && maxTokens <= 1000, "maxTokens not in 1..1000");
      checkArgument(tokenRatio > 0 && tokenRatio <= 1, "tokenRatio not in (0, 1]");
      this.retryMaxTokens = maxTokens;
      this.retryTokenRatio = tokenRatio;
      return this;
    }

    /** Never throttles retries (only their policies bound them). */
    public Builder noRetryThrottling() {
      this.retryMaxTokens = 0;
      return this;
    }

    /**
     * How a call's provider is chosen. Default: {@code LoadBalancer.localFirst(LoadBalancer
     * .roundRobin())}: this node's own handler when it has one, else round-robin among peers.
     */
    public Builder loadBalancer(LoadBalancer loadBalancer) {
      this.loadBalancer = Objects.requireNonNull(loadBalancer, "loadBalancer");
      return this;
    }

    /** Default: {@link OutlierDetection#DEFAULT}. */
    public Builder outlierDetection(OutlierDetection outlierDetection) {
      this.outlierDetection = Objects.requireNonNull(outlierDetection, "outlierDetection");
      return this;
    }

    public ServiceConfig build() {
      return new ServiceConfig(this);
    }
  }
}
