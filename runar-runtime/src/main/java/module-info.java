/**
 * Runar's runtime: a {@link dev.runar.Node} hosts services addressed by path and an event bus, and,
 * given a transport, calls the services of other nodes it discovers.
 *
 * <p>Exported API: {@code dev.runar} (the node, calls, statuses, services, events), {@code
 * dev.runar.stub} (what generated stubs and server bases are built on), {@code
 * dev.runar.discovery}, {@code dev.runar.security}, {@code dev.runar.network.quic} (the QUIC
 * transport), {@code dev.runar.registry} (topic paths) and the generated messages users see: {@code
 * dev.runar.options} (the options in {@code runar/options.proto}) and {@code
 * dev.runar.registry.proto} (what {@code $registry} answers).
 *
 * <p>Experimental SPI, which may change between minor versions: {@code dev.runar.network} (what a
 * transport implements, and the read-only view of a node's peers) and {@code dev.runar.wire} (the
 * wire messages it speaks).
 *
 * <p>Not exported: {@code dev.runar.internal}, shared helpers of the runtime's own packages.
 */
module dev.runar {
  requires transitive com.google.common;
  requires transitive com.google.protobuf;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.classes.quic;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires java.naming;
  requires org.slf4j;

  exports dev.runar;
  exports dev.runar.discovery;
  exports dev.runar.network;
  exports dev.runar.network.quic;
  exports dev.runar.options;
  exports dev.runar.registry;
  exports dev.runar.registry.proto;
  exports dev.runar.security;
  exports dev.runar.stub;
  exports dev.runar.wire;
}
