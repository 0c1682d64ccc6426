package dev.runar;

import com.google.protobuf.Message;
import dev.runar.network.Peers;
import dev.runar.network.TransportStats;
import dev.runar.registry.TopicPath;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A node's networked half as the node sees it: a {@link NetworkNode} when the configuration has a
 * transport, {@link #localOnly()} otherwise. Implementations are thread-safe.
 */
interface Networking {
  /** Starts listening and discovering. */
  void start() throws Exception;

  /** Goodbye to discovery and peers; calls in flight get the transport's grace period. */
  void stop();

  /** Services or subscriptions changed: tell peers and discovery. */
  void capabilitiesChanged();

  /** The peers known and their state. */
  Peers peers();

  /**
   * Refuses an event too large for the transport, with RESOURCE_EXHAUSTED to its publisher.
   *
   * @throws StatusException when it is
   */
  void checkEventSize(Message payload);

  /** Sends a locally published event to every peer with a matching subscription, once each. */
  void forward(TopicPath topic, Message payload, Metadata metadata);

  /** What the transport measures of the connection to {@code peerId}; empty when not connected. */
  CompletableFuture<Optional<TransportStats>> transportStats(String peerId);

  /** Calls to peers; empty for a node without a transport. */
  Optional<RemoteCalls> remoteCalls();

  /** The networking of a node without a transport: no peers, nothing to send. */
  static Networking localOnly() {
    return new LocalOnly();
  }

  /** No transport: every method is a no-op and there are never peers. */
  final class LocalOnly implements Networking {
    private final Peers peers = new PeerRegistry();

    private LocalOnly() {}

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    public void capabilitiesChanged() {}

    @Override
    public Peers peers() {
      return peers;
    }

    @Override
    public void checkEventSize(Message payload) {}

    @Override
    public void forward(TopicPath topic, Message payload, Metadata metadata) {}

    @Override
    public CompletableFuture<Optional<TransportStats>> transportStats(String peerId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public Optional<RemoteCalls> remoteCalls() {
      return Optional.empty();
    }
  }
}
