package dev.runar.network.quic;

import dev.runar.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The test peers one test starts, closed together after it. Threading: the test's thread. */
final class TestPeers implements AutoCloseable {
  private final List<TestPeer> started = new ArrayList<>();

  /** A peer with development security and the transport's defaults otherwise. */
  TestPeer start(String id) throws Exception {
    return start(id, QuicTransportConfig.builder().security(Security.development()));
  }

  /** A peer whose streams must deliver a frame (or end) within {@code firstFrameTimeout}. */
  TestPeer start(String id, Duration firstFrameTimeout) throws Exception {
    return start(
        id,
        QuicTransportConfig.builder()
            .security(Security.development())
            .firstFrameTimeout(firstFrameTimeout));
  }

  TestPeer start(String id, QuicTransportConfig.Builder config) throws Exception {
    return add(new TestPeer(id, "test", config));
  }

  /** Closes {@code peer} with the others. */
  TestPeer add(TestPeer peer) {
    started.add(peer);
    return peer;
  }

  @Override
  public void close() {
    started.forEach(TestPeer::close);
  }
}
