package dev.runar.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.StringValue;
import dev.runar.wire.Response;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PayloadTest {
  @Test
  void aMessagePayloadWritesWhatItsSerializationWouldBe() throws IOException {
    StringValue message = StringValue.of("é".repeat(300));
    Payload payload = Payload.of(message);
    assertEquals(message.getSerializedSize(), payload.size());
    assertEquals(message.toByteString(), payload.toByteString());
    assertArrayEquals(message.toByteArray(), written(payload));
  }

  @Test
  void aBytesPayloadIsItsBytes() throws IOException {
    ByteString bytes = ByteString.copyFromUtf8("some bytes");
    Payload payload = Payload.of(bytes);
    assertEquals(bytes.size(), payload.size());
    assertSame(bytes, payload.toByteString());
    assertArrayEquals(bytes.toByteArray(), written(payload));
    assertSame(Payload.EMPTY, Payload.of(ByteString.EMPTY));
    assertEquals(0, Payload.EMPTY.size());
  }

  @Test
  void aReplyKeepsItsPayloadOutOfItsHeader() {
    Response whole =
        Response.newBuilder().setTypeName("T").setPayload(ByteString.copyFromUtf8("x")).build();
    Reply reply = Reply.of(whole);
    assertEquals(ByteString.EMPTY, reply.header().getPayload());
    assertEquals(ByteString.copyFromUtf8("x"), reply.payload().toByteString());
    assertEquals(whole, reply.toResponse());

    Response status = Response.newBuilder().setStatusCode(5).build();
    assertSame(status, Reply.of(status).header());
    assertSame(status, Reply.of(status).toResponse());

    StringValue message = StringValue.of("reply");
    assertEquals(
        Response.newBuilder().setTypeName("T").setPayload(message.toByteString()).build(),
        Reply.of(Response.newBuilder().setTypeName("T").build(), Payload.of(message)).toResponse());
    assertThrows(IllegalArgumentException.class, () -> Reply.of(whole, Payload.of(message)));
  }

  private static byte[] written(Payload payload) throws IOException {
    byte[] out = new byte[payload.size()];
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    payload.writeTo(coded);
    coded.checkNoSpaceLeft();
    return out;
  }
}
