package dev.runar;

import dev.runar.discovery.MemoryDiscovery;
import dev.runar.examples.numbers.NumbersRunar;
import dev.runar.network.quic.QuicTransport;
import dev.runar.network.quic.QuicTransportConfig;
import dev.runar.security.Security;
import java.util.UUID;
import org.testng.annotations.BeforeClass;

/** {@link StreamCallTckTest} with the service on another node, across QUIC on 127.0.0.1. */
public class RemoteStreamCallTckTest extends StreamCallTckTest {
  @BeforeClass
  @Override
  public void startNodes() throws Exception {
    MemoryDiscovery.Network discovery = new MemoryDiscovery.Network();
    String network = "tck-" + UUID.randomUUID().toString().substring(0, 8);
    server = node("tck-server", network, discovery).start();
    server.addService(new NumbersService());
    client = node("tck-client", network, discovery).start();
    TestServices.eventually(
        () -> {
          try {
            NumbersRunar.newBlockingStub(client).square(NumbersService.number(2));
            return true;
          } catch (StatusException e) {
            return false;
          }
        });
  }

  private static Node node(String id, String network, MemoryDiscovery.Network discovery) {
    return Node.create(
        NodeConfig.builder()
            .nodeId(id)
            .networkId(network)
            .transport(
                new QuicTransport(
                    QuicTransportConfig.builder().security(Security.development()).build()))
            .discovery(discovery.discovery())
            .build());
  }
}
