package dev.runar;

import com.google.common.collect.ImmutableList;
import dev.runar.registry.TopicPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A service added to a node: its definition, where its actions live, and its lifecycle state. */
final class HostedService {
  private static final Logger log = LoggerFactory.getLogger(HostedService.class);

  private final ServiceDefinition definition;
  private final TopicPath path;
  private final ImmutableList<Action> actions;
  private volatile ServiceState state = ServiceState.INITIALIZED;

  HostedService(ServiceDefinition definition, String defaultNetwork) {
    this.definition = definition;
    this.path = TopicPath.parse(definition.path(), defaultNetwork);
    ImmutableList.Builder<Action> b = ImmutableList.builder();
    for (ServerMethod<?, ?> m : definition.serverMethods().values()) {
      b.add(new Action(this, path.child(m.descriptor().actionName()), m));
    }
    this.actions = b.build();
  }

  ServiceDefinition definition() {
    return definition;
  }

  TopicPath path() {
    return path;
  }

  ImmutableList<Action> actions() {
    return actions;
  }

  ServiceState state() {
    return state;
  }

  void init(Node node) throws Exception {
    definition.lifecycle().init(node);
  }

  /** Runs the start hook and marks the service running; a failing hook is logged. */
  void start() {
    if (state != ServiceState.INITIALIZED) {
      return;
    }
    try {
      definition.lifecycle().start();
    } catch (Exception e) {
      log.warn("start hook of service {} failed", path, e);
    }
    state = ServiceState.RUNNING;
  }

  /** Marks the service stopped and runs its stop hook; a failing hook is logged. */
  void stop() {
    ServiceState previous = state;
    state = ServiceState.STOPPED;
    if (previous == ServiceState.RUNNING) {
      try {
        definition.lifecycle().stop();
      } catch (Exception e) {
        log.warn("stop hook of service {} failed", path, e);
      }
    }
  }

  /** One routable action of a hosted service. */
  record Action(HostedService service, TopicPath path, ServerMethod<?, ?> method) {}
}
