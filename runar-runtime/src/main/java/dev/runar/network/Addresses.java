package dev.runar.network;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.net.InetSocketAddress;

/**
 * How socket addresses are written in Runar's messages ({@code host:port}, {@code [v6]:port}) and
 * read back. Written addresses are numeric whenever the address is resolved; read ones must be
 * numeric, so that reading never resolves a name (which could block for seconds on a thread that
 * serves others). Stateless; thread-safe.
 */
public final class Addresses {
  private Addresses() {}

  /** {@code address} as {@code host:port}, numeric when it is resolved. */
  public static String format(InetSocketAddress address) {
    String host =
        address.isUnresolved()
            ? address.getHostString()
            : InetAddresses.toAddrString(address.getAddress());
    return HostAndPort.fromParts(host, address.getPort()).toString();
  }

  /**
   * Reads a numeric {@code host:port}.
   *
   * @throws IllegalArgumentException when it is malformed, has no port or names a host
   */
  public static InetSocketAddress parseNumeric(String address) {
    HostAndPort parsed = HostAndPort.fromString(address);
    if (!parsed.hasPort()) {
      throw new IllegalArgumentException("no port in '" + address + "'");
    }
    return new InetSocketAddress(InetAddresses.forString(parsed.getHost()), parsed.getPort());
  }
}
