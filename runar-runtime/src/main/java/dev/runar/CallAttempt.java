package dev.runar;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * What one attempt of a unary call carries to the providers' side of the node: the node ids the
 * call's attempts went to (so that a retry goes to another provider when there is one), the
 * provider already chosen for it (when the balancer weighed this node's own handler against the
 * peers), and the payload encoding the call asks for. Thread-safe.
 *
 * @param tried node ids the call's attempts went to, this one's included once sent
 * @param provider the peer chosen for this attempt, if one was
 * @param compression the encoding the caller asks for ({@code ""}: none)
 */
record CallAttempt(Set<String> tried, Optional<RemoteService.Action> provider, String compression) {

  /** A call's first attempt, no provider chosen yet. */
  static CallAttempt first(String compression) {
    // Copy-on-write: a call tries one provider, rarely a few, and every call makes one of these.
    return new CallAttempt(new CopyOnWriteArraySet<>(), Optional.empty(), compression);
  }

  /** This call's attempt on {@code provider}. */
  CallAttempt on(RemoteService.Action provider) {
    return new CallAttempt(tried, Optional.of(provider), compression);
  }

  /** This call's next attempt, no provider chosen yet. */
  CallAttempt next() {
    return new CallAttempt(tried, Optional.empty(), compression);
  }
}
