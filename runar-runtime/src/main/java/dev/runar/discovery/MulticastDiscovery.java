package dev.runar.discovery;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.runar.wire.Announce;
import dev.runar.wire.DiscoveryPacket;
import dev.runar.wire.Leave;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery by UDP multicast: each node announces itself to a multicast group at start, on every
 * capability change and periodically, and says goodbye when it stops; a node silent for longer than
 * the time to live is lost. Datagrams of other networks are ignored; malformed or oversized ones
 * are dropped and counted ({@link #droppedPackets()}), never fatal.
 *
 * <p>Announcements are not authenticated: they only ever lead the node to dial (and the dial is
 * rate-limited per address, see the node's dialer); a {@code Leave} or a changed address for a
 * connected peer changes nothing, since the connection decides whether its peer is alive. Each
 * source may send 20 datagrams a second (bursts of 40); at most 4,096 nodes are remembered; only
 * numeric addresses are accepted, so nothing is ever resolved on the receive thread.
 *
 * <p>Defaults: group {@value #DEFAULT_GROUP}, port {@value #DEFAULT_PORT}, an announcement every 2
 * s, a time to live of 10 s, and the network interface of the node's first QUIC address (so a node
 * listening on 127.0.0.1 discovers over the loopback interface: multicast works there once the
 * interface is named explicitly).
 */
public final class MulticastDiscovery implements NodeDiscovery {
  public static final String DEFAULT_GROUP = "239.255.42.98";
  public static final int DEFAULT_PORT = 45678;
  private static final long ANSWER_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** The most nodes remembered at once. */
  static final int MAX_NODES = 4096;

  private static final Logger log = LoggerFactory.getLogger(MulticastDiscovery.class);

  private final Config config;
  private final SeenNodes seen = new SeenNodes(MAX_NODES);
  private final AtomicLong dropped = new AtomicLong();

  /** 20 datagrams a second per source, bursts of 40: far above what a node sends. */
  private final SourceRateLimiter perSource = new SourceRateLimiter(20, 40);

  private final AtomicLong lastAnswer = new AtomicLong(System.nanoTime() - ANSWER_SPACING_NANOS);
  private volatile PeerAnnouncement self;
  private volatile Listener listener;
  private DatagramChannel channel;
  private InetSocketAddress target;
  private ScheduledExecutorService timers;
  private Thread receiver;
  private volatile boolean closed;

  private MulticastDiscovery(Config config) {
    this.config = config;
  }

  /** Multicast discovery with the default settings. */
  public static MulticastDiscovery create() {
    return new MulticastDiscovery(Config.builder().build());
  }

  public static MulticastDiscovery create(Config config) {
    return new MulticastDiscovery(Objects.requireNonNull(config, "config"));
  }

  @Override
  public synchronized void start(PeerAnnouncement self, Listener listener) throws IOException {
    if (channel != null) {
      throw new IllegalStateException("already started");
    }
    this.self = Objects.requireNonNull(self, "self");
    this.listener = Objects.requireNonNull(listener, "listener");
    InetAddress group = InetAddress.getByName(config.group());
    NetworkInterface nif =
        config.networkInterface() != null ? config.networkInterface() : interfaceOf(self);
    target = new InetSocketAddress(group, config.port());
    channel =
        DatagramChannel.open(StandardProtocolFamily.INET)
            .setOption(StandardSocketOptions.SO_REUSEADDR, true)
            .bind(new InetSocketAddress(config.port()))
            .setOption(StandardSocketOptions.IP_MULTICAST_IF, nif)
            .setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true)
            .setOption(StandardSocketOptions.IP_MULTICAST_TTL, config.hops());
    channel.join(group, nif);
    receiver = new Thread(this::receive, "runar-discovery-" + self.nodeId());
    receiver.setDaemon(true);
    receiver.start();
    timers =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder()
                .setNameFormat("runar-discovery-timer-%d")
                .setDaemon(true)
                .build());
    long interval = config.announceInterval().toMillis();
    timers.scheduleAtFixedRate(this::announce, 0, interval, TimeUnit.MILLISECONDS);
    timers.scheduleAtFixedRate(
        this::expire, interval, Math.max(50, interval / 2), TimeUnit.MILLISECONDS);
    log.debug("multicast discovery on {} via {}", target, nif.getName());
  }

  @Override
  public void update(PeerAnnouncement self) {
    this.self = self;
    if (timers != null && !closed) {
      timers.execute(this::announce);
    }
  }

  @Override
  public synchronized void close() {
    if (closed || channel == null) {
      closed = true;
      return;
    }
    closed = true;
    timers.shutdownNow();
    send(DiscoveryDatagrams.leave(self));
    try {
      channel.close();
      receiver.join(1_000);
    } catch (IOException e) {
      log.debug("closing the discovery socket failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many datagrams were dropped as malformed or oversized. */
  public long droppedPackets() {
    return dropped.get();
  }

  /**
   * A node appeared or restarted: announce now rather than at the next interval, so that it finds
   * this node at once. At most one such extra announcement per {@link #ANSWER_SPACING_NANOS}, so a
   * flood of forged announcements cannot turn this node into a multicast repeater.
   */
  private void answerNewcomer() {
    long now = System.nanoTime();
    long last = lastAnswer.get();
    if (now - last >= ANSWER_SPACING_NANOS && lastAnswer.compareAndSet(last, now)) {
      timers.execute(this::announce);
    }
  }

  private void announce() {
    send(DiscoveryDatagrams.announce(self));
  }

  private void send(DiscoveryPacket packet) {
    try {
      channel.send(DiscoveryDatagrams.encode(packet), target);
    } catch (IOException e) {
      if (!closed) {
        log.warn("could not send a discovery datagram to {}: {}", target, e.getMessage());
      }
    }
  }

  private void receive() {
    ByteBuffer buffer = ByteBuffer.allocate(config.maxPacketSize() + 1);
    while (!closed) {
      buffer.clear();
      try {
        SocketAddress source = channel.receive(buffer);
        if (!perSource.allow(source, System.nanoTime())) {
          dropped.incrementAndGet();
          continue;
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("discovery receive failed: {}", e.getMessage());
        continue;
      }
      buffer.flip();
      try {
        handle(buffer);
      } catch (RuntimeException e) {
        dropped.incrementAndGet();
        log.warn("discovery datagram handling failed", e);
      }
    }
  }

  private void handle(ByteBuffer datagram) {
    Optional<DiscoveryPacket> packet = DiscoveryDatagrams.decode(datagram, config.maxPacketSize());
    if (packet.isEmpty()) {
      dropped.incrementAndGet();
      return;
    }
    PeerAnnouncement me = self;
    switch (packet.get().getKindCase()) {
      case ANNOUNCE -> {
        Announce a = packet.get().getAnnounce();
        if (!a.getNetworkId().equals(me.networkId())
            || a.getNodeId().equals(me.nodeId())
            || a.getNodeId().isEmpty()) {
          return;
        }
        Optional<PeerAnnouncement> peer = PeerAnnouncement.fromAnnounce(a);
        SeenNodes.Sighting sighting =
            peer.isEmpty()
                ? SeenNodes.Sighting.REFUSED
                : seen.saw(a.getNodeId(), a.getInstanceId(), System.nanoTime());
        switch (sighting) {
          case REFUSED -> dropped.incrementAndGet(); // malformed, or a flood of invented ids
          case NEW -> {
            answerNewcomer();
            listener.discovered(peer.get());
          }
          case AGAIN -> listener.discovered(peer.get());
        }
      }
      case LEAVE -> {
        Leave l = packet.get().getLeave();
        if (l.getNetworkId().equals(me.networkId()) && seen.left(l.getNodeId())) {
          listener.lost(l.getNodeId());
        }
      }
      default -> dropped.incrementAndGet();
    }
  }

  private void expire() {
    seen.expire(System.nanoTime(), config.timeToLive().toNanos()).forEach(listener::lost);
  }

  private static NetworkInterface interfaceOf(PeerAnnouncement self) throws SocketException {
    if (!self.addresses().isEmpty()) {
      NetworkInterface nif =
          NetworkInterface.getByInetAddress(self.addresses().get(0).getAddress());
      if (nif != null) {
        return nif;
      }
    }
    NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
    if (loopback == null) {
      throw new SocketException("no network interface for multicast: set Config.networkInterface");
    }
    return loopback;
  }

  /** Settings of a {@link MulticastDiscovery}. Immutable. */
  public static final class Config {
    private final String group;
    private final int port;
    private final NetworkInterface networkInterface;
    private final Duration announceInterval;
    private final Duration timeToLive;
    private final int maxPacketSize;
    private final int hops;

    private Config(Builder b) {
      this.group = b.group;
      this.port = b.port;
      this.networkInterface = b.networkInterface;
      this.announceInterval = b.announceInterval;
      this.timeToLive = b.timeToLive;
      this.maxPacketSize = b.maxPacketSize;
      this.hops = b.hops;
    }

    public static Builder builder() {
      return new Builder();
    }

    public String group() {
      return group;
    }

    public int port() {
      return port;
    }

    /** The interface to multicast on; null means that of the node's first QUIC address. */
    public NetworkInterface networkInterface() {
      return networkInterface;
    }

    public Duration announceInterval() {
      return announceInterval;
    }

    public Duration timeToLive() {
      return timeToLive;
    }

    public int maxPacketSize() {
      return maxPacketSize;
    }

    public int hops() {
      return hops;
    }

    /** Builds a {@link Config}. */
    public static final class Builder {
      private String group = DEFAULT_GROUP;
      private int port = DEFAULT_PORT;
      private NetworkInterface networkInterface;
      private Duration announceInterval = Duration.ofSeconds(2);
      private Duration timeToLive = Duration.ofSeconds(10);
      private int maxPacketSize = 1400;
      private int hops = 1;

      private Builder() {}

      /** An IPv4 multicast group; default {@value MulticastDiscovery#DEFAULT_GROUP}. */
      public Builder group(String group) {
        this.group = Objects.requireNonNull(group, "group");
        return this;
      }

      /** Default {@value MulticastDiscovery#DEFAULT_PORT}. */
      public Builder port(int port) {
        checkArgument(port > 0 && port < 65536, "bad port %s", port);
        this.port = port;
        return this;
      }

      public Builder networkInterface(NetworkInterface networkInterface) {
        this.networkInterface = networkInterface;
        return this;
      }

      /** Default 2 s. */
      public Builder announceInterval(Duration announceInterval) {
        checkArgument(announceInterval.toMillis() > 0, "announceInterval <= 0");
        this.announceInterval = announceInterval;
        return this;
      }

      /** How long a silent node stays known. Default 10 s. */
      public Builder timeToLive(Duration timeToLive) {
        checkArgument(timeToLive.toMillis() > 0, "timeToLive <= 0");
        this.timeToLive = timeToLive;
        return this;
      }

      /** Larger datagrams are dropped. Default 1400 bytes. */
      public Builder maxPacketSize(int maxPacketSize) {
        checkArgument(maxPacketSize > DiscoveryDatagrams.MAGIC.length, "maxPacketSize too small");
        this.maxPacketSize = maxPacketSize;
        return this;
      }

      /** The multicast TTL (router hops). Default 1: the local network only. */
      public Builder hops(int hops) {
        checkArgument(hops >= 0 && hops <= 255, "hops out of range");
        this.hops = hops;
        return this;
      }

      public Config build() {
        return new Config(this);
      }
    }
  }
}
