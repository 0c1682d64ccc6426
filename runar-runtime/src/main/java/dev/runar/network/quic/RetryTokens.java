package dev.runar.network.quic;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * QUIC address validation with real Retry tokens: before a server spends anything on a new client
 * (TLS keys, connection state, its handshake flight, which is larger than the client's Initial),
 * the client must echo a token that only this server could have made for that client's address. A
 * spoofed source address never sees the token, so it can neither open connections nor use the
 * server to reflect traffic. Netty's {@code InsecureQuicTokenHandler} writes the address in clear
 * and accepts anything that looks like it; these tokens are MACed with a key made at start.
 *
 * <p>Token: expiry (8 bytes, epoch millis), HMAC-SHA256 of expiry, client address and original
 * destination connection id (truncated to 16 bytes), then that connection id. Valid for {@value
 * #LIFETIME_MILLIS} ms: a Retry is answered within a round trip.
 *
 * <p>Thread-safe.
 */
final class RetryTokens implements QuicTokenHandler {
  static final long LIFETIME_MILLIS = 10_000;
  private static final int EXPIRY_BYTES = 8;
  private static final int MAC_BYTES = 16;
  private static final int HEADER = EXPIRY_BYTES + MAC_BYTES;
  private static final int MAX_CONNECTION_ID = 20;

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  RetryTokens() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
              }
            });
  }

  @Override
  public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
    long expiry = System.currentTimeMillis() + LIFETIME_MILLIS;
    byte[] connectionId = new byte[dcid.readableBytes()];
    dcid.getBytes(dcid.readerIndex(), connectionId);
    out.writeLong(expiry);
    out.writeBytes(mac(expiry, address, connectionId));
    out.writeBytes(connectionId);
    return true;
  }

  @Override
  public int validateToken(ByteBuf token, InetSocketAddress address) {
    int length = token.readableBytes();
    if (length < HEADER || length > HEADER + MAX_CONNECTION_ID) {
      return -1;
    }
    int start = token.readerIndex();
    long expiry = token.getLong(start);
    if (expiry < System.currentTimeMillis()) {
      return -1;
    }
    byte[] presented = new byte[MAC_BYTES];
    token.getBytes(start + EXPIRY_BYTES, presented);
    byte[] connectionId = new byte[length - HEADER];
    token.getBytes(start + HEADER, connectionId);
    return MessageDigest.isEqual(presented, mac(expiry, address, connectionId)) ? HEADER : -1;
  }

  @Override
  public int maxTokenLength() {
    return HEADER + MAX_CONNECTION_ID;
  }

  private byte[] mac(long expiry, InetSocketAddress address, byte[] connectionId) {
    Mac mac = macs.get();
    mac.update(ByteBuffer.allocate(EXPIRY_BYTES).putLong(0, expiry));
    mac.update(address.getAddress().getAddress());
    mac.update(ByteBuffer.allocate(4).putInt(0, address.getPort()));
    byte[] full = mac.doFinal(connectionId);
    byte[] truncated = new byte[MAC_BYTES];
    System.arraycopy(full, 0, truncated, 0, MAC_BYTES);
    return truncated;
  }
}
