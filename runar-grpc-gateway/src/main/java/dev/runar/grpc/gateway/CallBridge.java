package dev.runar.grpc.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.UnsafeByteOperations;
import dev.runar.CallOptions;
import dev.runar.Node;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Serves one rpc by calling its Runar action: a unary rpc with {@link Node#call}, the three
 * streaming shapes with {@link Node#stream}. Messages stay bytes ({@link RawMessage}) both ways.
 *
 * <p>Flow control: the Runar side's demand for requests becomes {@code ServerCall.request(n)} (gRPC
 * stops reading, and HTTP/2 flow control stops the client, while Runar asks for nothing), and
 * response messages are asked of the Runar side {@code streamWindow} at a time, replenished only
 * while {@code ServerCall.isReady()}: a slow gRPC client slows the Runar stream and nothing buffers
 * without bound.
 *
 * <p>Threading: gRPC calls a call's listener serially; Runar completes calls on its own threads.
 * Every use of the {@link ServerCall} goes through a {@link Responder}, which serializes them.
 */
final class CallBridge {
  /**
   * Messages cross the gateway as their bytes: read in one piece when gRPC knows their length (it
   * does for received messages), and written by draining them into gRPC's buffer.
   */
  static final Marshaller<ByteString> BYTES =
      new Marshaller<>() {
        @Override
        public InputStream stream(ByteString value) {
          return new BytesStream(value);
        }

        @Override
        public ByteString parse(InputStream stream) {
          try {
            if (!(stream instanceof KnownLength)) {
              return ByteString.readFrom(stream);
            }
            byte[] bytes = new byte[stream.available()];
            int read = stream.readNBytes(bytes, 0, bytes.length);
            int next = stream.read();
            if (next == -1) {
              return read == bytes.length
                  ? UnsafeByteOperations.unsafeWrap(bytes) // nothing else holds the array
                  : ByteString.copyFrom(bytes, 0, read);
            }
            // The stream held more than it said: keep what was read, then the rest.
            ByteString.Output all = ByteString.newOutput(read + 1);
            all.write(bytes, 0, read);
            all.write(next);
            stream.transferTo(all);
            return all.toByteString();
          } catch (IOException e) {
            throw Status.INTERNAL
                .withDescription("cannot read a message")
                .withCause(e)
                .asRuntimeException();
          }
        }
      };

  /**
   * A message's bytes as gRPC writes them: of known length, and drained (a flat message's in one
   * write, which is what {@link ByteString#newInput} of an array-backed string gives).
   */
  private static final class BytesStream extends InputStream implements KnownLength, Drainable {
    private final InputStream in;

    BytesStream(ByteString bytes) {
      this.in = bytes.newInput();
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      return (int) in.transferTo(target);
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }
  }

  private CallBridge() {}

  /** The handler for {@code method}. */
  static ServerCallHandler<ByteString, ByteString> handler(
      Node node,
      ServiceCatalog.Method method,
      Optional<Duration> defaultTimeout,
      int streamWindow) {
    return method.runar().type() == dev.runar.MethodDescriptor.MethodType.UNARY
        ? (call, headers) -> new Unary(node, method, call, headers, defaultTimeout)
        : (call, headers) ->
            new Streaming(node, method, call, headers, defaultTimeout, streamWindow).listener();
  }

  /** The one way to a {@link ServerCall}: serialized, and nothing after close or cancellation. */
  static final class Responder {
    private final ServerCall<ByteString, ByteString> call;
    private boolean headersSent;
    private boolean closed;

    Responder(ServerCall<ByteString, ByteString> call) {
      this.call = call;
    }

    synchronized void send(ByteString message) {
      if (closed) {
        return;
      }
      if (!headersSent) {
        call.sendHeaders(new Metadata());
        headersSent = true;
      }
      call.sendMessage(message);
    }

    synchronized void close(Status status) {
      close(status, new Metadata());
    }

    synchronized void close(Status status, Metadata trailers) {
      if (closed) {
        return;
      }
      closed = true;
      call.close(status, trailers);
    }

    synchronized void cancelled() {
      closed = true;
    }

    synchronized boolean isClosed() {
      return closed;
    }

    synchronized void request(int messages) {
      if (!closed) {
        call.request(messages);
      }
    }

    synchronized boolean isReady() {
      return !closed && call.isReady();
    }
  }

  /** A unary rpc: one request in, one Runar call, one reply (or status) out. */
  private static final class Unary extends ServerCall.Listener<ByteString> {
    private final Node node;
    private final ServiceCatalog.Method method;
    private final Responder responder;
    private final CallOptions options;
    private ByteString request;
    private CompletableFuture<RawMessage> reply;

    Unary(
        Node node,
        ServiceCatalog.Method method,
        ServerCall<ByteString, ByteString> call,
        Metadata headers,
        Optional<Duration> defaultTimeout) {
      this.node = node;
      this.method = method;
      this.responder = new Responder(call);
      this.options = Mapping.options(call, headers, defaultTimeout);
      call.request(2); // a second message is a protocol error, as in grpc-java's own stubs
    }

    @Override
    public void onMessage(ByteString message) {
      if (request != null) {
        responder.close(Status.INTERNAL.withDescription("Too many requests"));
        return;
      }
      request = message;
    }

    @Override
    public void onHalfClose() {
      if (responder.isClosed()) {
        return;
      }
      if (request == null) {
        responder.close(Status.INTERNAL.withDescription("Half-closed without a request"));
        return;
      }
      Descriptor type = method.proto().getInputType();
      reply = node.call(method.runar(), RawMessage.of(type, request), options);
      reply.whenComplete(
          (r, failure) -> {
            if (failure != null) {
              responder.close(Mapping.toGrpc(failure), Mapping.trailers(failure));
            } else {
              responder.send(r.bytes());
              responder.close(Status.OK);
            }
          });
    }

    @Override
    public void onCancel() {
      responder.cancelled();
      if (reply != null) {
        reply.cancel(false); // cancels the Runar call, on a peer too
      }
    }
  }

  /** A streaming rpc of any shape, as one {@link Node#stream} call. */
  private static final class Streaming {
    private final Responder responder;
    private final Requests requests;
    private final Responses responses;

    Streaming(
        Node node,
        ServiceCatalog.Method method,
        ServerCall<ByteString, ByteString> call,
        Metadata headers,
        Optional<Duration> defaultTimeout,
        int streamWindow) {
      this.responder = new Responder(call);
      this.requests = new Requests(method.proto().getInputType(), responder);
      this.responses = new Responses(responder, streamWindow);
      CallOptions options = Mapping.options(call, headers, defaultTimeout);
      node.stream(method.runar(), requests, options).subscribe(responses);
    }

    ServerCall.Listener<ByteString> listener() {
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(ByteString message) {
          requests.onMessage(message);
        }

        @Override
        public void onHalfClose() {
          requests.onHalfClose();
        }

        @Override
        public void onCancel() {
          responder.cancelled();
          responses.cancel();
          requests.onCancel();
        }

        @Override
        public void onReady() {
          responses.onReady();
        }
      };
    }
  }

  /**
   * The gRPC client's messages as the Runar call's request publisher (one subscriber): its demand
   * is passed to gRPC as {@code request(n)}, so nothing is read that Runar did not ask for.
   */
  private static final class Requests implements Flow.Publisher<RawMessage>, Flow.Subscription {
    private final Descriptor type;
    private final Responder responder;
    private Flow.Subscriber<? super RawMessage> subscriber;
    private boolean halfClosed;
    private boolean cancelled;
    private boolean ended;

    Requests(Descriptor type, Responder responder) {
      this.type = type;
      this.responder = responder;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super RawMessage> s) {
      boolean completeNow;
      synchronized (this) {
        if (subscriber != null) {
          s.onSubscribe(this);
          s.onError(new IllegalStateException("the requests of a gRPC call can be read once"));
          return;
        }
        subscriber = s;
        completeNow = halfClosed;
      }
      s.onSubscribe(this);
      if (completeNow) {
        end(null);
      }
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancel();
        end(new IllegalArgumentException("demand must be positive: " + n));
        return;
      }
      responder.request((int) Math.min(n, Integer.MAX_VALUE));
    }

    @Override
    public synchronized void cancel() {
      cancelled = true;
    }

    void onMessage(ByteString message) {
      Flow.Subscriber<? super RawMessage> s;
      synchronized (this) {
        s = cancelled || ended ? null : subscriber;
      }
      if (s != null) {
        s.onNext(RawMessage.of(type, message));
      }
    }

    void onHalfClose() {
      boolean subscribed;
      synchronized (this) {
        halfClosed = true;
        subscribed = subscriber != null;
      }
      if (subscribed) {
        end(null);
      }
    }

    void onCancel() {
      end(
          io.grpc.Status.CANCELLED
              .withDescription("the gRPC client cancelled")
              .asRuntimeException());
    }

    private void end(Throwable failure) {
      Flow.Subscriber<? super RawMessage> s;
      synchronized (this) {
        if (ended || subscriber == null || cancelled) {
          ended = true;
          return;
        }
        ended = true;
        s = subscriber;
      }
      if (failure == null) {
        s.onComplete();
      } else {
        s.onError(failure);
      }
    }
  }

  /**
   * Subscribes to the Runar call's responses and writes them to the gRPC client, asking for more
   * only while the client keeps up.
   */
  private static final class Responses implements Flow.Subscriber<RawMessage> {
    private final Responder responder;
    private final int window;
    private Flow.Subscription subscription;
    private long owed;
    private boolean cancelled;

    Responses(Responder responder, int window) {
      this.responder = responder;
      this.window = window;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      boolean cancelNow;
      synchronized (this) {
        subscription = s;
        cancelNow = cancelled;
      }
      if (cancelNow) {
        s.cancel();
      } else {
        s.request(window);
      }
    }

    @Override
    public void onNext(RawMessage message) {
      responder.send(message.bytes());
      Flow.Subscription s;
      long more;
      synchronized (this) {
        owed++;
        if (!responder.isReady()) {
          return; // onReady asks for more when the client has caught up
        }
        more = owed;
        owed = 0;
        s = subscription;
      }
      s.request(more);
    }

    void onReady() {
      Flow.Subscription s;
      long more;
      synchronized (this) {
        if (owed == 0 || subscription == null || cancelled) {
          return;
        }
        more = owed;
        owed = 0;
        s = subscription;
      }
      s.request(more);
    }

    @Override
    public void onError(Throwable failure) {
      responder.close(Mapping.toGrpc(failure), Mapping.trailers(failure));
    }

    @Override
    public void onComplete() {
      responder.close(Status.OK);
    }

    void cancel() {
      Flow.Subscription s;
      synchronized (this) {
        cancelled = true;
        s = subscription;
      }
      if (s != null) {
        s.cancel(); // ends the Runar call, on a peer too
      }
    }
  }
}
