package dev.runar.discovery.etcd;

import dev.runar.Node;

/**
 * A probe node in a process of its own ({@link ProbeProcess} starts it): arguments node id, network
 * id, etcd endpoints (comma-separated), QUIC port (0: any). Prints {@code READY} once started, and
 * stops gracefully when its standard input closes.
 */
public final class ProbeNodeMain {
  private ProbeNodeMain() {}

  public static void main(String[] args) throws Exception {
    Node node = ProbeNodes.start(args[0], args[1], args[2], Integer.parseInt(args[3]));
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // runs until the test closes our standard input
    }
    node.stop();
  }
}
