package dev.runar;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on 127.0.0.1 that sits between QUIC clients and one server and can drop every
 * datagram, both ways, for a while: packet loss as it happens, for the transport under test. It can
 * also be a narrow path: one that silently drops every datagram over a size, both ways, as a tunnel
 * does whose routers' "packet too big" messages are filtered. Each client source gets a socket of
 * its own toward the server, so the server sees one peer address per client, as it would without
 * the relay. And it can let QUIC's handshake through but nothing the server sends after it, as a
 * path that loses a peer's replies does: a client then sends its first stream data, which the
 * server reads, and never hears back.
 *
 * <p>Public for the transport's own tests in {@code dev.runar.network.quic}.
 */
public final class LossyUdpRelay implements AutoCloseable {
  private static final int MAX_DATAGRAM = 65_535;

  private volatile InetSocketAddress server;
  private final DatagramSocket front;
  private final Map<SocketAddress, DatagramSocket> backs = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong tooLarge = new AtomicLong();
  private volatile int largestDatagram = MAX_DATAGRAM;
  private volatile long dropUntilNanos = System.nanoTime();
  private volatile boolean closed;
  private volatile boolean droppingServerOneRtt;
  private final AtomicInteger serverOneRttToDrop = new AtomicInteger();
  private volatile long delayMillis;
  private final ScheduledExecutorService delayed =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "relay-delay");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean clientSpoke;
  private final AtomicLong droppedOneRtt = new AtomicLong();

  /** A relay to {@code server}. */
  public LossyUdpRelay(InetSocketAddress server) throws IOException {
    this();
    this.server = server;
  }

  /**
   * A relay to a server to be named by {@link #relayTo}: until then it drops what clients send, as
   * a path to a server not yet up does.
   */
  public LossyUdpRelay() throws IOException {
    this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread thread = new Thread(this::relayFromClients, "relay-front");
    thread.setDaemon(true);
    thread.start();
  }

  /** From now, relays clients' datagrams to {@code server}. */
  public void relayTo(InetSocketAddress server) {
    this.server = server;
  }

  /**
   * While {@code dropping}, drops every datagram from the server that carries a QUIC 1-RTT (short
   * header) packet once the client has sent one: QUIC's handshake completes (with the server's
   * first 1-RTT packets, without which Netty's client does not notice it did), but nothing the
   * server sends after the client's first stream data reaches the client.
   */
  public void dropServerOneRtt(boolean dropping) {
    droppingServerOneRtt = dropping;
  }

  /**
   * Drops the next datagram from the server that carries a 1-RTT packet once the client has sent
   * one, and only that one: the first thing the server sends on its streams is lost, and QUIC
   * resends it when its retransmission timer fires.
   */
  public void dropNextServerOneRtt() {
    serverOneRttToDrop.set(1);
  }

  /**
   * From now, delays every datagram it relays, both ways, by {@code millis}: a path with that much
   * latency, over which QUIC's retransmission timer is as long as the round trip makes it.
   */
  public void delayBy(long millis) {
    delayMillis = millis;
  }

  /** Datagrams dropped by {@link #dropServerOneRtt} and {@link #dropNextServerOneRtt}. */
  public long droppedOneRtt() {
    return droppedOneRtt.get();
  }

  /** Where clients send to reach the server. */
  public InetSocketAddress address() {
    return (InetSocketAddress) front.getLocalSocketAddress();
  }

  /** Drops every datagram, both ways, from now for {@code millis}. */
  public void dropFor(long millis) {
    dropUntilNanos = System.nanoTime() + millis * 1_000_000;
  }

  public long dropped() {
    return dropped.get();
  }

  /** From now, silently drops every datagram over {@code bytes}, both ways. */
  public void narrowTo(int bytes) {
    largestDatagram = bytes;
  }

  /** Datagrams dropped for their size. */
  public long tooLarge() {
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
        if ((droppingServerOneRtt || serverOneRttToDrop.get() > 0)
            && oneRttAt(packet.getData(), packet.getLength()) >= 0) {
          clientSpoke = true;
        }
        InetSocketAddress target = server;
        if (target != null && !dropping(packet)) {
          send(back, packet, target);
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
        int oneRtt = clientSpoke ? oneRttAt(packet.getData(), packet.getLength()) : -1;
        if (oneRtt >= 0
            && !droppingServerOneRtt
            && serverOneRttToDrop.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
          oneRtt = -1; // not dropping
        }
        if (oneRtt >= 0) {
          droppedOneRtt.incrementAndGet();
          packet.setLength(oneRtt); // what came before it: the handshake's packets, if any
        }
        if (packet.getLength() > 0 && !dropping(packet)) {
          send(front, packet, client);
        }
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  /** Sends {@code packet} from {@code socket} to {@code to}, now or (a copy) after the delay. */
  private void send(DatagramSocket socket, DatagramPacket packet, SocketAddress to)
      throws IOException {
    long delay = delayMillis;
    if (delay == 0) {
      socket.send(new DatagramPacket(packet.getData(), packet.getLength(), to));
      return;
    }
    // The receive buffer is reused for the next datagram: a delayed one needs its own.
    DatagramPacket copy =
        new DatagramPacket(
            Arrays.copyOf(packet.getData(), packet.getLength()), packet.getLength(), to);
    delayed.schedule(
        () -> {
          try {
            socket.send(copy);
          } catch (IOException e) {
            // closed meanwhile
          }
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Where a datagram's 1-RTT packet starts, -1 if it has none: a short header packet (the form bit
   * clear) comes alone or last, after the long header packets coalesced before it (RFC 9000, 12.2
   * and 17.2), whose lengths are read to find it.
   */
  static int oneRttAt(byte[] data, int length) {
    int at = 0;
    while (at < length) {
      int first = data[at] & 0xff;
      if ((first & 0x80) == 0) {
        return (first & 0x40) != 0 ? at : -1; // without the fixed bit: padding, not a packet
      }
      int type = (first >> 4) & 0x3;
      if (type == 3) {
        return -1; // Retry: the rest of the datagram
      }
      int p = at + 5; // first byte, version
      if (p >= length) {
        return -1;
      }
      p += 1 + (data[p] & 0xff); // destination connection id
      if (p >= length) {
        return -1;
      }
      p += 1 + (data[p] & 0xff); // source connection id
      if (type == 0) { // Initial: a token
        long[] token = varint(data, p, length);
        p = (int) (token[1] + token[0]);
      }
      long[] payload = varint(data, p, length);
      at = (int) (payload[1] + payload[0]);
    }
    return -1;
  }

  /** {value, offset after it}; past the end when the datagram is cut short. */
  private static long[] varint(byte[] data, int at, int length) {
    if (at >= length) {
      return new long[] {0, Integer.MAX_VALUE / 2};
    }
    int size = 1 << ((data[at] & 0xff) >> 6);
    long value = data[at] & 0x3f;
    for (int i = 1; i < size; i++) {
      value = at + i < length ? (value << 8) | (data[at + i] & 0xff) : Integer.MAX_VALUE / 2;
    }
    return new long[] {Math.min(value, Integer.MAX_VALUE / 2), at + size};
  }

  @Override
  public void close() {
    closed = true;
    delayed.shutdownNow();
    front.close();
    backs.values().forEach(DatagramSocket::close);
  }
}
