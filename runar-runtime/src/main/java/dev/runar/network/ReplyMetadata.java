package dev.runar.network;

import dev.runar.Metadata;
import dev.runar.internal.WireMetadata;
import dev.runar.wire.Response;
import dev.runar.wire.StreamMessage;

/**
 * The response headers and trailers of one call, as they become known: on the callee's side the
 * node sets them (headers before the first response message is handed to the transport, trailers
 * before the call's end is), and the transport writes them; on the caller's side the transport sets
 * them as they arrive, before it delivers the message or the end that came with them.
 *
 * <p>Thread-safe: each value is set once, then read; later sets are ignored.
 */
public final class ReplyMetadata {
  private volatile Metadata headers;
  private volatile Metadata trailers;

  /**
   * A call's end as it arrived, its metadata not read yet: most callers never look at it, and
   * reading a message's maps allocates even when they are empty. Written under this.
   */
  private volatile Response end;

  /** The headers, or empty while none arrived. */
  public Metadata headers() {
    Metadata h = headers;
    if (h == null) {
      readPendingEnd();
      h = headers;
    }
    return h == null ? Metadata.EMPTY : h;
  }

  /** The trailers, or empty while none arrived. */
  public Metadata trailers() {
    Metadata t = trailers;
    if (t == null) {
      readPendingEnd();
      t = trailers;
    }
    return t == null ? Metadata.EMPTY : t;
  }

  /** Whether the headers were set (sent, or received). */
  public boolean hasHeaders() {
    if (headers == null) {
      readPendingEnd();
    }
    return headers != null;
  }

  /** Sets the headers, unless they were set already; returns whether this call set them. */
  public synchronized boolean setHeaders(Metadata headers) {
    readPendingEnd();
    if (this.headers != null) {
      return false;
    }
    this.headers = headers;
    return true;
  }

  /** Sets the trailers, unless they were set already. */
  public synchronized void setTrailers(Metadata trailers) {
    readPendingEnd();
    if (this.trailers == null) {
      this.trailers = trailers;
    }
  }

  private void readPendingEnd() {
    if (end != null) {
      takePendingEnd();
    }
  }

  private synchronized void takePendingEnd() {
    Response response = end;
    if (response == null) {
      return;
    }
    end = null;
    if (headers == null) {
      headers = WireMetadata.read(response.getHeadersList(), response.getBinaryHeadersList());
    }
    if (trailers == null) {
      trailers = WireMetadata.read(response.getTrailersList(), response.getBinaryTrailersList());
    }
  }

  // ---- wire form ----

  /** Reads the headers a streaming call's first message carries, if it carries any. */
  public void readHeaders(StreamMessage message) {
    if (message.getHeadersCount() > 0 || message.getBinaryHeadersCount() > 0) {
      setHeaders(WireMetadata.read(message.getHeadersList(), message.getBinaryHeadersList()));
    }
  }

  /**
   * Takes the headers (unless a message carried them already) and trailers of a call's end, read
   * when first asked for.
   */
  public synchronized void readEnd(Response response) {
    if (end == null && (headers == null || trailers == null)) {
      end = response;
    }
  }

  /** Adds the headers to the callee's first message, unless they were written already. */
  public StreamMessage.Builder writeHeaders(StreamMessage.Builder message, boolean first) {
    Metadata h = headers;
    return first && h != null
        ? message
            .addAllHeaders(WireMetadata.strings(h))
            .addAllBinaryHeaders(WireMetadata.binaries(h))
        : message;
  }

  /** Adds the trailers, and the headers when no message carried them, to a call's end. */
  public Response writeEnd(Response response, boolean headersWritten) {
    Metadata h = headers();
    Metadata t = trailers();
    if (t.isEmpty() && (headersWritten || h.isEmpty())) {
      return response;
    }
    Response.Builder b = response.toBuilder();
    if (!headersWritten) {
      b.addAllHeaders(WireMetadata.strings(h)).addAllBinaryHeaders(WireMetadata.binaries(h));
    }
    return b.addAllTrailers(WireMetadata.strings(t))
        .addAllBinaryTrailers(WireMetadata.binaries(t))
        .build();
  }
}
