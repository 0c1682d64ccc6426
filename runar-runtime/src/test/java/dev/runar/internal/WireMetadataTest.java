package dev.runar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.runar.Metadata;
import dev.runar.wire.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireMetadataTest {
  @Test
  void writesAndReadsBack() {
    Metadata metadata =
        Metadata.builder()
            .put("traceparent", "00-abc-01")
            .put("user", "ana")
            .putBinary("token-bin", ByteString.copyFromUtf8("\u0000\u0001"))
            .build();
    Request request =
        Request.newBuilder()
            .addAllMetadata(WireMetadata.strings(metadata))
            .addAllBinaryMetadata(WireMetadata.binaries(metadata))
            .build();
    assertEquals(metadata, read(request));
    assertSame(Metadata.EMPTY, read(Request.getDefaultInstance()));
  }

  /**
   * The entries are a map's on the wire: what a map writer wrote (key, value, a key twice) reads
   * back as the map would, the last value winning.
   */
  @Test
  void readsWhatAMapWrites() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    mapEntry(out, Request.METADATA_FIELD_NUMBER, "k", ByteString.copyFromUtf8("first"));
    mapEntry(out, Request.METADATA_FIELD_NUMBER, "other", ByteString.copyFromUtf8("o"));
    mapEntry(out, Request.METADATA_FIELD_NUMBER, "k", ByteString.copyFromUtf8("last"));
    mapEntry(
        out, Request.BINARY_METADATA_FIELD_NUMBER, "b-bin", ByteString.copyFrom(new byte[] {7}));
    out.flush();
    Metadata read = read(Request.parseFrom(bytes.toByteArray()));
    assertEquals(Map.of("k", "last", "other", "o"), read.strings());
    assertEquals(Map.of("b-bin", ByteString.copyFrom(new byte[] {7})), read.binaries());
  }

  private static Metadata read(Request request) {
    return WireMetadata.read(request.getMetadataList(), request.getBinaryMetadataList());
  }

  /** One entry of a {@code map<string, string|bytes>} field, as protobuf writes it. */
  private static void mapEntry(CodedOutputStream out, int field, String key, ByteString value)
      throws IOException {
    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(
        CodedOutputStream.computeStringSize(1, key) + CodedOutputStream.computeBytesSize(2, value));
    out.writeString(1, key);
    out.writeBytes(2, value);
  }
}
