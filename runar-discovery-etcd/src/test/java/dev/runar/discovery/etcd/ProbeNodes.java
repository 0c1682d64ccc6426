package dev.runar.discovery.etcd;

import dev.runar.BindableService;
import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.StatusException;
import dev.runar.discovery.NodeDiscovery;
import dev.runar.discovery.etcd.probe.AlphaRunar;
import dev.runar.discovery.etcd.probe.BetaRunar;
import dev.runar.discovery.etcd.probe.GammaRunar;
import dev.runar.discovery.etcd.probe.SurveyReply;
import dev.runar.discovery.etcd.probe.SurveyRequest;
import dev.runar.discovery.etcd.probe.WhoReply;
import dev.runar.discovery.etcd.probe.WhoRequest;
import dev.runar.network.Peers.PeerState;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The tests' nodes: QUIC on 127.0.0.1, etcd discovery only (no multicast), and the probe service
 * named after the node ({@code alpha}, {@code beta} or {@code gamma}; other ids host none). All
 * calls go through the generated stubs. Stateless.
 */
final class ProbeNodes {
  static final List<String> ROLES = List.of("alpha", "beta", "gamma");
  private static final WhoRequest WHO = WhoRequest.getDefaultInstance();

  /** The transport's default. */
  private static final Duration LIVENESS = Duration.ofMillis(2500);

  private ProbeNodes() {}

  static Node start(String nodeId, String network, String endpoints) {
    return start(nodeId, network, endpoints, 0);
  }

  /** A probe node on 127.0.0.1:{@code port} (0: any free port) discovering through etcd. */
  static Node start(String nodeId, String network, String endpoints, int port) {
    return start(nodeId, network, etcd(endpoints), port, LIVENESS);
  }

  /**
   * A probe node discovering through etcd that declares a silent peer dead only after {@code
   * livenessTimeout}: for a test that must see a peer replaced by other means first.
   */
  static Node start(String nodeId, String network, String endpoints, Duration livenessTimeout) {
    return start(nodeId, network, etcd(endpoints), 0, livenessTimeout);
  }

  static Node start(String nodeId, String network, NodeDiscovery discovery) {
    return start(nodeId, network, discovery, 0, LIVENESS);
  }

  private static NodeDiscovery etcd(String endpoints) {
    return EtcdDiscovery.create(EtcdDiscoveryConfig.builder().endpointList(endpoints).build());
  }

  private static Node start(
      String nodeId, String network, NodeDiscovery discovery, int port, Duration liveness) {
    Node node =
        Node.create(
            NodeConfig.builder()
                .nodeId(nodeId)
                .networkId(network)
                .shutdownGracePeriod(Duration.ofSeconds(1))
                .transport(
                    new QuicTransport(
                        QuicTransportConfig.builder()
                            .security(Security.development())
                            .bindAddress(new InetSocketAddress("127.0.0.1", port))
                            .livenessTimeout(liveness)
                            .shutdownGracePeriod(Duration.ofSeconds(1))
                            .build()))
                .discovery(discovery)
                .build());
    if (ROLES.contains(nodeId)) {
      node.addService(service(nodeId));
    }
    return node.start();
  }

  /** Asks the node hosting {@code role}'s service who it is. */
  static String who(Node caller, String role, Duration timeout) {
    WhoReply reply =
        switch (role) {
          case "alpha" -> AlphaRunar.newBlockingStub(caller).withTimeout(timeout).who(WHO);
          case "beta" -> BetaRunar.newBlockingStub(caller).withTimeout(timeout).who(WHO);
          case "gamma" -> GammaRunar.newBlockingStub(caller).withTimeout(timeout).who(WHO);
          default -> throw new IllegalArgumentException(role);
        };
    return reply.getNodeId();
  }

  /** Has the node hosting {@code role}'s service call the other probe services. */
  static SurveyReply survey(Node caller, String role, Duration timeout) {
    SurveyRequest request = SurveyRequest.getDefaultInstance();
    return switch (role) {
      case "alpha" -> AlphaRunar.newBlockingStub(caller).withTimeout(timeout).survey(request);
      case "beta" -> BetaRunar.newBlockingStub(caller).withTimeout(timeout).survey(request);
      case "gamma" -> GammaRunar.newBlockingStub(caller).withTimeout(timeout).survey(request);
      default -> throw new IllegalArgumentException(role);
    };
  }

  static boolean connected(Node node, String peerId) {
    return node.peers().get(peerId).map(p -> p.state() == PeerState.CONNECTED).orElse(false);
  }

  /** Whether {@code node} knows {@code peerId} at all (discovered, connecting or connected). */
  static boolean knows(Node node, String peerId) {
    return node.peers().get(peerId).isPresent();
  }

  /** Whether a call to {@code role}'s service fails at once because no node provides it. */
  static boolean gone(Node caller, String role) {
    try {
      who(caller, role, Duration.ofMillis(300));
      return false;
    } catch (StatusException e) {
      return e.status().code() == dev.runar.Status.Code.NOT_FOUND;
    }
  }

  private static SurveyReply surveyFrom(Node node) {
    SurveyReply.Builder reply = SurveyReply.newBuilder().setNodeId(node.nodeId());
    for (String other : ROLES) {
      if (!other.equals(node.nodeId())) {
        try {
          reply.addAnsweredBy(who(node, other, Duration.ofSeconds(1)));
        } catch (StatusException e) {
          // not reachable (yet): left out of the reply
        }
      }
    }
    return reply.build();
  }

  private static WhoReply whoAmI(Node node) {
    return WhoReply.newBuilder().setNodeId(node.nodeId()).build();
  }

  static BindableService service(String role) {
    return switch (role) {
      case "alpha" ->
          new AlphaRunar.AlphaImplBase() {
            private Node node;

            @Override
            public void init(Node node) {
              this.node = node;
            }

            @Override
            public WhoReply who(WhoRequest request) {
              return whoAmI(node);
            }

            @Override
            public SurveyReply survey(SurveyRequest request) {
              return surveyFrom(node);
            }
          };
      case "beta" ->
          new BetaRunar.BetaImplBase() {
            private Node node;

            @Override
            public void init(Node node) {
              this.node = node;
            }

            @Override
            public WhoReply who(WhoRequest request) {
              return whoAmI(node);
            }

            @Override
            public SurveyReply survey(SurveyRequest request) {
              return surveyFrom(node);
            }
          };
      default ->
          new GammaRunar.GammaImplBase() {
            private Node node;

            @Override
            public void init(Node node) {
              this.node = node;
            }

            @Override
            public WhoReply who(WhoRequest request) {
              return whoAmI(node);
            }

            @Override
            public SurveyReply survey(SurveyRequest request) {
              return surveyFrom(node);
            }
          };
    };
  }
}
