package dev.runar;

import dev.runar.internal.Match;
import dev.runar.network.WireStatus;
import dev.runar.registry.TopicPath;
import dev.runar.wire.Request;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Where a call goes: the one place that parses a call's path, refuses what must not start, and
 * resolves the rest to a local handler or (for this node's own callers) to the network. Unary and
 * streaming calls, and calls arriving from peers, all take this route. Thread-safe.
 */
final class Router {
  /** The outcome of routing a call. */
  sealed interface Route permits Local, Remote, Refused {}

  /**
   * A handler on this node serves it.
   *
   * @param clockNanos the reading of the clock the call was routed with
   */
  record Local(
      TopicPath target, Match<HostedService.Action> action, Deadline deadline, long clockNanos)
      implements Route {}

  /**
   * No handler here: a peer may serve it.
   *
   * @param clockNanos the reading of the clock the call was routed with, which its first attempt
   *     reuses for the time left it sends (one reading of the clock fewer per call)
   */
  record Remote(TopicPath target, Deadline deadline, long clockNanos) implements Route {}

  /** It must not start; {@code status} says why. */
  record Refused(Status status) implements Route {}

  private final String nodeId;
  private final PathCache paths;
  private final ServiceRegistry registry;
  private final BooleanSupplier running;

  Router(String nodeId, PathCache paths, ServiceRegistry registry, BooleanSupplier running) {
    this.nodeId = nodeId;
    this.paths = paths;
    this.registry = registry;
    this.running = running;
  }

  /** A call made on this node: a local handler first, else the network. */
  Route route(String path, Deadline deadline) {
    return route(path, deadline, System.nanoTime());
  }

  /** {@link #route(String, Deadline)}, {@code nowNanos} a reading of the clock just taken. */
  Route route(String path, Deadline deadline, long nowNanos) {
    TopicPath target;
    try {
      target = target(path);
    } catch (StatusException e) {
      return new Refused(e.status());
    }
    Optional<Status> refused = refusal(deadline.nanosRemaining(nowNanos) <= 0);
    if (refused.isPresent()) {
      return new Refused(refused.get());
    }
    Optional<Match<HostedService.Action>> action = registry.route(target);
    return action.isPresent()
        ? new Local(target, action.get(), deadline, nowNanos)
        : new Remote(target, deadline, nowNanos);
  }

  /**
   * A call a peer made: a local handler only (never forwarded to another peer), with the caller's
   * deadline from the time it had left, and a request of the method's own type. Refusals that leave
   * the call unstarted where another provider might run it are marked not started.
   */
  Route routeInbound(Request header) {
    TopicPath target;
    try {
      target = target(header.getPath());
    } catch (StatusException e) {
      return new Refused(e.status());
    }
    long now = System.nanoTime();
    Deadline deadline = Deadline.after(header.getTimeoutMicros(), TimeUnit.MICROSECONDS, now);
    // Expired only if it came with no time left: the clock was just read for it.
    Optional<Status> refused = refusal(header.getTimeoutMicros() <= 0);
    if (refused.isPresent()) {
      return new Refused(WireStatus.notStarted(refused.get()));
    }
    Optional<Match<HostedService.Action>> action = registry.route(target);
    if (action.isEmpty()) {
      // Not started: another provider may still serve it (this one just removed the service).
      return new Refused(
          WireStatus.notStarted(
              Status.NOT_FOUND.withDescription(
                  "no service serves " + target + " on node " + nodeId)));
    }
    // The same refusal, word for word, as a local call with a request of the wrong type gets.
    String expected =
        action
            .get()
            .value()
            .method()
            .descriptor()
            .requestPrototype()
            .getDescriptorForType()
            .getFullName();
    if (!expected.equals(header.getTypeName())) {
      return new Refused(
          Status.INVALID_ARGUMENT.withDescription(
              "expected a " + expected + " but got a " + header.getTypeName()));
    }
    return new Local(target, action.get(), deadline, now);
  }

  /** Why a call that found no handler, here or on a peer, fails. */
  static Status failure(Route route) {
    return route instanceof Refused refused
        ? refused.status()
        : Status.NOT_FOUND.withDescription(
            "no service serves " + (route instanceof Remote remote ? remote.target() : route));
  }

  /**
   * The concrete path a call goes to.
   *
   * @throws StatusException INVALID_ARGUMENT for a malformed path or a pattern
   */
  private TopicPath target(String path) {
    TopicPath target;
    try {
      target = paths.parse(path);
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
    }
    if (target.isPattern()) {
      throw Status.INVALID_ARGUMENT.withDescription("cannot call a pattern: " + path).asException();
    }
    return target;
  }

  /** Why a call must not start now, if it must not. */
  private Optional<Status> refusal(boolean expired) {
    if (!running.getAsBoolean()) {
      return Optional.of(Status.UNAVAILABLE.withDescription("node " + nodeId + " is not running"));
    }
    if (expired) {
      return Optional.of(
          Status.DEADLINE_EXCEEDED.withDescription("deadline passed before the call started"));
    }
    return Optional.empty();
  }
}
