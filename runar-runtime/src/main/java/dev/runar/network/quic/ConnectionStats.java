package dev.runar.network.quic;

import dev.runar.network.TransportStats;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicConnectionStats;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a QUIC connection's figures from quiche: its totals and its active path's RTT and
 * congestion window. Any thread; the reading itself runs on the connection's event loop.
 */
final class ConnectionStats {
  private ConnectionStats() {}

  /** The connection's figures; empty once it is closed (quiche has nothing to say then). */
  static CompletableFuture<Optional<TransportStats>> collect(QuicChannel channel) {
    CompletableFuture<Optional<TransportStats>> result = new CompletableFuture<>();
    if (!channel.isActive()) {
      result.complete(Optional.empty());
      return result;
    }
    Future<QuicConnectionStats> totals = channel.collectStats();
    totals.addListener(
        t -> {
          if (!totals.isSuccess()) {
            result.complete(Optional.empty());
            return;
          }
          Future<QuicConnectionPathStats> path = channel.collectPathStats(0);
          path.addListener(
              p ->
                  result.complete(
                      path.isSuccess()
                          ? Optional.of(of(totals.getNow(), path.getNow()))
                          : Optional.empty()));
        });
    return result;
  }

  private static TransportStats of(QuicConnectionStats totals, QuicConnectionPathStats path) {
    return new TransportStats(
        Duration.ofNanos(path.rtt()),
        path.cwnd(),
        totals.sent(),
        totals.recv(),
        totals.lost(),
        totals.sentBytes(),
        totals.recvBytes(),
        totals.lostBytes());
  }
}
