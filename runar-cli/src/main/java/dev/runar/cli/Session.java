package dev.runar.cli;

import com.google.common.collect.ImmutableList;
import dev.runar.Node;
import dev.runar.network.Peers.Peer;
import dev.runar.network.Peers.PeerState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The command's light node on the network: started with no services of its own, it finds and
 * connects to the network's nodes, and is stopped (saying goodbye) when the command ends.
 *
 * <p>Used from the command's thread; {@link #catalog()} may also be called from event handlers (it
 * is synchronized).
 */
final class Session implements AutoCloseable {
  /** The network has settled once nothing changed for this long. */
  private static final Duration QUIET = Duration.ofMillis(400);

  private static final long POLL_MILLIS = 25;

  private final Node node;
  private final NetworkOptions options;
  private final PrintWriter err;
  private volatile long lastChange = System.nanoTime();
  private Catalog catalog;

  private Session(Node node, NetworkOptions options, PrintWriter err) {
    this.node = node;
    this.options = options;
    this.err = err;
  }

  /**
   * Joins the network {@code options} name. {@code beforeStart} sees the node before it starts (to
   * subscribe, so that the first announcement carries the subscription).
   */
  static Session join(NetworkOptions options, PrintWriter err, Consumer<Node> beforeStart) {
    Node node = Node.create(options.nodeConfig());
    Session session = new Session(node, options, err);
    node.peers().addListener((before, after) -> session.lastChange = System.nanoTime());
    beforeStart.accept(node);
    try {
      node.start();
    } catch (IllegalStateException e) {
      node.stop();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw CliException.cannotRun(
          "cannot join network '"
              + options.networkId
              + "' ("
              + options.discoveryDescription()
              + "): "
              + cause.getMessage());
    }
    return session;
  }

  static Session join(NetworkOptions options, PrintWriter err) {
    return join(options, err, node -> {});
  }

  Node node() {
    return node;
  }

  String networkId() {
    return node.config().networkId();
  }

  /**
   * Waits, at most the {@code --wait} time, until the nodes found are connected and nothing has
   * changed for a moment; says on standard error when no node could be reached.
   */
  void awaitSettled() {
    awaitUntil(this::settled);
    ImmutableList<Peer> all = node.peers().all();
    if (connected().isEmpty()) {
      err.println(
          all.isEmpty()
              ? "runar: found no node on network '"
                  + networkId()
                  + "' within "
                  + format(options.wait)
                  + " ("
                  + options.discoveryDescription()
                  + "). Is the network id right? Are its nodes running? (--wait gives them"
                  + " longer)"
              : "runar: found "
                  + all.size()
                  + " node(s) but connected to none: do --ca, --cert and --key (or --dev) match"
                  + " the network's security? (--verbose shows why connections fail)");
      err.flush();
    }
  }

  /** Waits, at most the {@code --wait} time, until {@code done} holds; returns whether it does. */
  boolean awaitUntil(Predicate<ImmutableList<Peer>> done) {
    long end = System.nanoTime() + options.wait.toNanos();
    while (true) {
      if (done.test(node.peers().all())) {
        return true;
      }
      if (System.nanoTime() - end >= 0) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Whether the network has settled: a node is connected, none is still being connected to, and
   * nothing changed for a moment.
   */
  boolean settled(ImmutableList<Peer> peers) {
    boolean quiet = System.nanoTime() - lastChange >= QUIET.toNanos();
    boolean anyConnected = peers.stream().anyMatch(p -> p.state() == PeerState.CONNECTED);
    boolean noneInProgress =
        peers.stream()
            .noneMatch(p -> p.state() == PeerState.DISCOVERED || p.state() == PeerState.CONNECTING);
    return quiet && anyConnected && noneInProgress;
  }

  /** The connected peers, in the order they became known. */
  ImmutableList<Peer> connected() {
    return node.peers().all().stream()
        .filter(p -> p.state() == PeerState.CONNECTED && p.info() != null)
        .collect(ImmutableList.toImmutableList());
  }

  /** What the connected nodes describe: fetched on first use. */
  synchronized Catalog catalog() {
    if (catalog == null) {
      catalog = Catalog.fetch(node, connected(), options.wait.plusSeconds(2), err);
    }
    return catalog;
  }

  /** Fetches the descriptions again (a node may have joined since); returns the new catalog. */
  synchronized Catalog refreshCatalog() {
    catalog = Catalog.fetch(node, connected(), options.wait.plusSeconds(2), err);
    return catalog;
  }

  static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** Stops the node: it says goodbye to its peers. */
  @Override
  public void close() {
    node.stop();
  }
}
