package dev.runar;

/**
 * Something that can describe itself as a {@link ServiceDefinition}: what generated server bases
 * implement, so that {@code node.addService(new GreeterImpl())} registers every action at once.
 */
public interface BindableService {
  ServiceDefinition bindService();
}
