package dev.runar.benchmarks;

import dev.runar.benchmarks.proto.Payload;
import java.util.concurrent.CompletableFuture;

/** One way to make an echo call: Runar, grpc-java or a bare QUIC stream. */
interface EchoClient extends AutoCloseable {
  /** Starts a call; the future completes with the echo. */
  CompletableFuture<Payload> call(Payload request);

  @Override
  void close() throws Exception;
}
