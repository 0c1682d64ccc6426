/**
 * The transport SPI: what a transport implements ({@link dev.runar.network.NetworkTransport},
 * {@link dev.runar.network.PeerConnection}, {@link dev.runar.network.CallStream}) and what the node
 * gives it ({@link dev.runar.network.InboundHandler}), with the helpers both sides share, and
 * {@link dev.runar.network.Peers}, the read-only view of a node's peers.
 *
 * <p><b>Experimental:</b> the SPI (everything here but {@code Peers}) may change between minor
 * versions while transports other than QUIC are explored. It speaks the wire messages of {@code
 * dev.runar.wire} and, of the API, only the value types {@code Status}, {@code StatusException} and
 * {@code Metadata}.
 */
package dev.runar.network;
