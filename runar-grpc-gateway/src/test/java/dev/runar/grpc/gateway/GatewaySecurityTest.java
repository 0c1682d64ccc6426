package dev.runar.grpc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runar.Node;
import dev.runar.NodeConfig;
import dev.runar.grpc.gateway.testing.EchoGrpc;
import dev.runar.grpc.gateway.testing.EchoRequest;
import dev.runar.security.DevelopmentCa;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway's transport security: TLS with required client certificates (the verified subject
 * reaches the handler), refusals, and a config that must choose its security.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewaySecurityTest {
  private Path pem;
  private Node node;
  private GrpcGateway gateway;

  @BeforeAll
  void start() throws Exception {
    pem = Files.createTempDirectory("gateway-tls-");
    DevelopmentCa ca = DevelopmentCa.create("gateway-tls");
    ca.writePem("gateway", pem);
    ca.writePem("billing", pem);
    node = Node.create(NodeConfig.builder().nodeId("tls-node").build()).start();
    node.addService(new EchoService());
    gateway =
        GrpcGateway.start(
            node,
            GrpcGatewayConfig.builder()
                .tls(
                    pem.resolve("gateway.crt"),
                    pem.resolve("gateway.key"),
                    pem.resolve("ca.crt"),
                    GrpcGatewayConfig.ClientAuth.REQUIRE)
                .build());
    GatewayFixture.eventually(() -> gateway.services().contains(GatewayFixture.ECHO));
  }

  @AfterAll
  void stop() {
    gateway.close();
    node.stop();
  }

  private String say(ChannelCredentials credentials) throws Exception {
    ManagedChannel channel =
        Grpc.newChannelBuilder("127.0.0.1:" + gateway.port(), credentials)
            .overrideAuthority("runar-node")
            .build();
    try {
      return EchoGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .say(EchoRequest.newBuilder().setText("hi").build())
          .getMetadata();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aClientWithATrustedCertificateIsServedAndItsSubjectReachesTheHandler() throws Exception {
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder()
            .keyManager(pem.resolve("billing.crt").toFile(), pem.resolve("billing.key").toFile())
            .trustManager(pem.resolve("ca.crt").toFile())
            .build();
    assertEquals(Mapping.CLIENT_KEY + "=CN=billing", say(credentials));
  }

  @Test
  void aClientWithoutACertificateOrWithoutTlsIsRefused() throws Exception {
    ChannelCredentials noCertificate =
        TlsChannelCredentials.newBuilder().trustManager(pem.resolve("ca.crt").toFile()).build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> say(noCertificate));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    StatusRuntimeException plain =
        assertThrows(StatusRuntimeException.class, () -> say(InsecureChannelCredentials.create()));
    assertEquals(Status.Code.UNAVAILABLE, plain.getStatus().getCode());
  }

  @Test
  void theConfigBindsLoopbackByDefaultAndMustChooseItsSecurity() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> GrpcGatewayConfig.builder().build());
    assertEquals(
        "choose the gateway's transport security: tls(...) or, for this machine only, plaintext()",
        e.getMessage());
    assertEquals("127.0.0.1", GrpcGatewayConfig.builder().plaintext().build().host());
    assertEquals("127.0.0.1", gateway.address().getAddress().getHostAddress());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new GrpcGatewayConfig.Tls(
                pem.resolve("a"),
                pem.resolve("b"),
                java.util.Optional.empty(),
                GrpcGatewayConfig.ClientAuth.REQUIRE));
  }
}
