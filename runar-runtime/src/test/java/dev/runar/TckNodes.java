package dev.runar;

/**
 * The nodes of a Reactive Streams TCK class: a service, and a client that calls it from the same
 * node or ({@code remote}) from another node across QUIC on 127.0.0.1. Not thread-safe: started and
 * closed by the TCK class's configuration methods.
 */
final class TckNodes implements AutoCloseable {
  private final QuicNodes quic = new QuicNodes();
  private final Node server;
  private final Node client;

  /** Starts the nodes; {@code service} answers {@code square} too (how reaching it is checked). */
  TckNodes(boolean remote, BindableService service) throws Exception {
    if (!remote) {
      server = TestServices.startedNode();
      server.addService(service);
      client = server;
      return;
    }
    server = quic.start("tck-server");
    server.addService(service);
    client = quic.start("tck-client");
    NumbersService.awaitReachable(client);
  }

  /** The node that makes the calls. */
  Node client() {
    return client;
  }

  @Override
  public void close() {
    server.stop();
    quic.close();
  }
}
