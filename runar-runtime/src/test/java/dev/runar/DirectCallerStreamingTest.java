package dev.runar;

/**
 * The streaming cases across QUIC with the caller's node in direct mode: its replies and stream
 * messages are delivered on its event loop, at the end of the read that brought them (the
 * transport's ReadBursts), instead of on its callback pool.
 */
class DirectCallerStreamingTest extends RemoteStreamingTest {
  @Override
  protected boolean callerInDirectMode() {
    return true;
  }
}
