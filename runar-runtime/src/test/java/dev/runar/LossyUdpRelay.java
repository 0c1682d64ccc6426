package dev.runar;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on 127.0.0.1 that sits between QUIC clients and one server and can drop every
 * datagram, both ways, for a while: packet loss as it happens, for the transport under test. It can
 * also be a narrow path: one that silently drops every datagram over a size, both ways, as a tunnel
 * does whose routers' "packet too big" messages are filtered. Each client source gets a socket of
 * its own toward the server, so the server sees one peer address per client, as it would without
 * the relay.
 */
final class LossyUdpRelay implements AutoCloseable {
  private static final int MAX_DATAGRAM = 65_535;

  private final InetSocketAddress server;
  private final DatagramSocket front;
  private final Map<SocketAddress, DatagramSocket> backs = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong tooLarge = new AtomicLong();
  private volatile int largestDatagram = MAX_DATAGRAM;
  private volatile long dropUntilNanos = System.nanoTime();
  private volatile boolean closed;

  LossyUdpRelay(InetSocketAddress server) throws IOException {
    this.server = server;
    this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread thread = new Thread(this::relayFromClients, "relay-front");
    thread.setDaemon(true);
    thread.start();
  }

  /** Where clients send to reach the server. */
  InetSocketAddress address() {
    return (InetSocketAddress) front.getLocalSocketAddress();
  }

  /** Drops every datagram, both ways, from now for {@code millis}. */
  void dropFor(long millis) {
    dropUntilNanos = System.nanoTime() + millis * 1_000_000;
  }

  long dropped() {
    return dropped.get();
  }

  /** From now, silently drops every datagram over {@code bytes}, both ways. */
  void narrowTo(int bytes) {
    largestDatagram = bytes;
  }

  /** Datagrams dropped for their size. */
  long tooLarge() {
    return tooLarge.get();
  }

  private boolean dropping(DatagramPacket packet) {
    if (packet.getLength() > largestDatagram) {
      tooLarge.incrementAndGet();
      return true;
    }
    if (System.nanoTime() - dropUntilNanos < 0) {
      dropped.incrementAndGet();
      return true;
    }
    return false;
  }

  private void relayFromClients() {
    DatagramPacket packet = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
    while (!closed) {
      try {
        packet.setLength(MAX_DATAGRAM);
        front.receive(packet);
        SocketAddress client = packet.getSocketAddress();
        DatagramSocket back = backs.computeIfAbsent(client, this::openBack);
        if (!dropping(packet)) {
          back.send(new DatagramPacket(packet.getData(), packet.getLength(), server));
        }
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private DatagramSocket openBack(SocketAddress client) {
    try {
      DatagramSocket back =
          new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread thread = new Thread(() -> relayToClient(back, client), "relay-back");
      thread.setDaemon(true);
      thread.start();
      return back;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void relayToClient(DatagramSocket back, SocketAddress client) {
    DatagramPacket packet = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
    while (!closed) {
      try {
        packet.setLength(MAX_DATAGRAM);
        back.receive(packet);
        if (!dropping(packet)) {
          front.send(new DatagramPacket(packet.getData(), packet.getLength(), client));
        }
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    front.close();
    backs.values().forEach(DatagramSocket::close);
  }
}
