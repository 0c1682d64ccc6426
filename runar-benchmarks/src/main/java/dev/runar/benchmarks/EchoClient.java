package dev.runar.benchmarks;

import dev.runar.benchmarks.proto.Payload;
import java.util.concurrent.CompletableFuture;

/** One way to make an echo call: Runar, grpc-java or a bare QUIC stream. */
interface EchoClient extends AutoCloseable {
  /** Starts a call; the future completes with the echo. */
  CompletableFuture<Payload> call(Payload request);

  /**
   * A server-streaming call of {@code count} messages of {@code size} bytes, read to its end;
   * returns how many arrived.
   */
  default long stream(int count, int size) throws Exception {
    throw new UnsupportedOperationException("no streaming here");
  }

  @Override
  void close() throws Exception;
}
