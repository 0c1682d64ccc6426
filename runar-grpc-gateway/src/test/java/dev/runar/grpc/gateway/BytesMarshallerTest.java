package dev.runar.grpc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BytesMarshallerTest {
  private static final ByteString MESSAGE = random(10_000);

  @Test
  void aMessageOfKnownLengthIsReadWhole() {
    assertEquals(MESSAGE, CallBridge.BYTES.parse(new Known(MESSAGE.toByteArray())));
  }

  @Test
  void aStreamThatClaimsLessThanItHoldsIsStillReadToItsEnd() {
    byte[] bytes = MESSAGE.toByteArray();
    Known shortClaim =
        new Known(bytes) {
          @Override
          public int available() {
            return Math.min(super.available(), 100);
          }
        };
    assertEquals(MESSAGE, CallBridge.BYTES.parse(shortClaim));
  }

  @Test
  void aMessageOfUnknownLengthIsReadToItsEnd() {
    assertEquals(MESSAGE, CallBridge.BYTES.parse(new ByteArrayInputStream(MESSAGE.toByteArray())));
  }

  @Test
  void aMessageIsWrittenWithItsLengthKnownAndDrainedInOnePiece() throws IOException {
    InputStream stream = CallBridge.BYTES.stream(MESSAGE);
    assertTrue(stream instanceof KnownLength && stream instanceof Drainable);
    assertEquals(MESSAGE.size(), stream.available());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(MESSAGE.size(), ((Drainable) stream).drainTo(out));
    assertEquals(MESSAGE, ByteString.copyFrom(out.toByteArray()));
    assertEquals(0, stream.available());
  }

  @Test
  void aMessageReadInPartsThenDrainedGivesTheRest() throws IOException {
    InputStream stream = CallBridge.BYTES.stream(MESSAGE);
    byte[] head = new byte[10];
    assertEquals(10, stream.read(head));
    assertEquals(MESSAGE.byteAt(10) & 0xff, stream.read());
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    assertEquals(MESSAGE.size() - 11, ((Drainable) stream).drainTo(rest));
    assertEquals(MESSAGE.substring(11), ByteString.copyFrom(rest.toByteArray()));
    assertEquals(ByteString.copyFrom(head), MESSAGE.substring(0, 10));
  }

  private static ByteString random(int size) {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    return ByteString.copyFrom(bytes);
  }

  /** A stream that knows its length, as gRPC's received messages do. */
  private static class Known extends ByteArrayInputStream implements KnownLength {
    Known(byte[] bytes) {
      super(bytes);
    }
  }
}
