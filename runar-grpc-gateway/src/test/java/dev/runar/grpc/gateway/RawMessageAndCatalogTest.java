package dev.runar.grpc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.runar.MethodDescriptor.MethodType;
import dev.runar.grpc.gateway.testing.EchoReply;
import dev.runar.grpc.gateway.testing.EchoRequest;
import dev.runar.grpc.gateway.testing.EchoRunar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RawMessage} passes bytes through untouched; {@link ServiceCatalog} names and routes. */
class RawMessageAndCatalogTest {
  @Test
  void aRawMessageIsItsBytesAndReadsLikeTheTypedOne() throws Exception {
    EchoRequest typed = EchoRequest.newBuilder().setText("hi").setCount(3).build();
    ByteString bytes = typed.toByteString();
    RawMessage raw = RawMessage.of(EchoRequest.getDescriptor(), bytes);
    assertSame(bytes, raw.toByteString());
    assertEquals(typed.getSerializedSize(), raw.getSerializedSize());
    assertEquals("gatewaytest.EchoRequest", raw.getDescriptorForType().getFullName());
    // Parsing wraps the very bytes; reflection parses them once.
    assertSame(
        bytes,
        RawMessage.prototype(EchoRequest.getDescriptor())
            .getParserForType()
            .parseFrom(bytes)
            .bytes());
    assertEquals("hi", raw.getField(EchoRequest.getDescriptor().findFieldByName("text")));
    assertEquals(typed, EchoRequest.parseFrom(raw.toByteArray()));
    assertEquals(raw, RawMessage.of(EchoRequest.getDescriptor(), typed.toByteString()));
  }

  @Test
  void servicesAreNamedByProtoAndCallRunarPathsFromTheOptions() {
    FileDescriptor file = EchoRunar.getServiceDescriptor().getFile();
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    Map<String, FileDescriptor> ordered = new LinkedHashMap<>();
    addWithImports(file, ordered);
    ordered.values().forEach(f -> set.addFile(f.toProto()));

    ServiceCatalog catalog = new ServiceCatalog();
    ImmutableMap<String, ServiceCatalog.Service> none =
        catalog.services(
            List.of(new ServiceCatalog.Source("a", ImmutableSet.of("elsewhere"), set.build())));
    assertTrue(none.isEmpty(), "a service nobody hosts is not served");

    ImmutableMap<String, ServiceCatalog.Service> served =
        catalog.services(
            List.of(new ServiceCatalog.Source("a", ImmutableSet.of("echo"), set.build())));
    ServiceCatalog.Service echo = served.get("gatewaytest.Echo");
    assertEquals("echo", echo.runarPath());
    assertEquals(
        List.of(
            "echo/say:UNARY",
            "echo/Count:SERVER_STREAMING",
            "echo/Join:CLIENT_STREAMING",
            "echo/Chat:BIDI_STREAMING"),
        echo.methods().stream().map(m -> m.runar().path() + ":" + m.runar().type()).toList());
    assertEquals(MethodType.UNARY, ServiceCatalog.type(echo.methods().get(0).proto()));
    assertEquals(
        EchoReply.getDescriptor().getFullName(),
        echo.methods().get(0).runar().responsePrototype().getDescriptorForType().getFullName());

    // The same files from a second node: one descriptor per file name, so reflection sees one.
    ImmutableMap<String, ServiceCatalog.Service> again =
        catalog.services(
            List.of(new ServiceCatalog.Source("b", ImmutableSet.of("echo"), set.build())));
    assertSame(echo.proto(), again.get("gatewaytest.Echo").proto());
  }

  private static void addWithImports(FileDescriptor file, Map<String, FileDescriptor> out) {
    if (!out.containsKey(file.getName())) {
      file.getDependencies().forEach(d -> addWithImports(d, out));
      out.put(file.getName(), file);
    }
  }
}
