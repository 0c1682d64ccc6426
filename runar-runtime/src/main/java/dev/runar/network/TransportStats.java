package dev.runar.network;

import java.time.Duration;
import java.util.Objects;

/**
 * What a transport measured of one connection, as of when it was asked: the path's round-trip time
 * and congestion window, and packets and bytes sent, received and lost since the connection opened.
 * Immutable.
 *
 * <p><b>Experimental:</b> the transport SPI may change between minor versions.
 *
 * @param rtt the smoothed round-trip time
 * @param congestionWindowBytes how many bytes may be in flight unacknowledged now
 * @param packetsSent packets sent, counting retransmissions
 * @param packetsReceived packets received
 * @param packetsLost packets declared lost
 * @param bytesSent bytes sent
 * @param bytesReceived bytes received
 * @param bytesLost bytes declared lost
 */
public record TransportStats(
    Duration rtt,
    long congestionWindowBytes,
    long packetsSent,
    long packetsReceived,
    long packetsLost,
    long bytesSent,
    long bytesReceived,
    long bytesLost) {
  public TransportStats {
    Objects.requireNonNull(rtt, "rtt");
  }
}
