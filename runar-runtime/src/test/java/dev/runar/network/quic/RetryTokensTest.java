package dev.runar.network.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Retry tokens validate only for the address they were made for, and only untampered. */
class RetryTokensTest {
  private final RetryTokens tokens = new RetryTokens();
  private final InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40_000);
  private final ByteBuf dcid = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

  private ByteBuf token() {
    ByteBuf out = Unpooled.buffer();
    tokens.writeToken(out, dcid, client);
    return out;
  }

  @Test
  void aTokenValidatesForItsAddressAndPointsAtTheOriginalConnectionId() {
    ByteBuf token = token();
    int offset = tokens.validateToken(token, client);
    assertEquals(24, offset);
    assertEquals(dcid, token.slice(offset, token.readableBytes() - offset));
  }

  @Test
  void anotherAddressATamperedTokenOrAnotherServersTokenIsRefused() {
    assertEquals(-1, tokens.validateToken(token(), new InetSocketAddress("127.0.0.1", 40_001)));
    assertEquals(-1, tokens.validateToken(token(), new InetSocketAddress("127.0.0.2", 40_000)));
    ByteBuf tampered = token();
    tampered.setByte(30, tampered.getByte(30) ^ 1);
    assertEquals(-1, tokens.validateToken(tampered, client));
    assertEquals(-1, new RetryTokens().validateToken(token(), client));
    assertEquals(-1, tokens.validateToken(Unpooled.wrappedBuffer(new byte[10]), client));
  }
}
