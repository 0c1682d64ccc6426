package dev.runar;

import com.google.protobuf.Message;
import dev.runar.network.ReplyMetadata;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * The callee's end of a streaming call served here, between the call and whoever receives its
 * responses (a local caller, or the transport for a peer): fixes the response headers as the first
 * response passes, tells the server listeners of each response and of the close, and fixes the
 * trailers before the end is passed on, so that the receiver finds them in the {@link
 * ReplyMetadata}. Signals come serialized, as {@link Flow} requires.
 */
final class ServerStreamEnd<T extends Message> implements Flow.Subscriber<T> {
  private final Flow.Subscriber<? super T> downstream;
  private final CallContext context;
  private final ServerInterception listeners;
  private final ReplyMetadata reply;
  private final BiFunction<CallContext, Status, Status> finish;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param finish ends the context and fixes the reply's metadata; returns the status to send
   */
  ServerStreamEnd(
      Flow.Subscriber<? super T> downstream,
      CallContext context,
      ServerInterception listeners,
      ReplyMetadata reply,
      BiFunction<CallContext, Status, Status> finish) {
    this.downstream = downstream;
    this.context = context;
    this.listeners = listeners;
    this.reply = reply;
    this.finish = finish;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    downstream.onSubscribe(subscription);
  }

  @Override
  public void onNext(T item) {
    if (!reply.hasHeaders()) {
      reply.setHeaders(context.builtResponseHeaders());
    }
    listeners.onResponse(item);
    downstream.onNext(item);
  }

  @Override
  public void onError(Throwable error) {
    Status status = close(Status.fromThrowable(error));
    downstream.onError(status.asException(reply.trailers()));
  }

  @Override
  public void onComplete() {
    Status status = close(Status.OK);
    if (status.isOk()) {
      downstream.onComplete();
    } else {
      downstream.onError(status.asException(reply.trailers()));
    }
  }

  /** Closes the call's server side once (also when it ends without a signal: a caller's cancel). */
  Status close(Status status) {
    if (!closed.compareAndSet(false, true)) {
      return status;
    }
    listeners.onClose(status);
    return finish.apply(context, status);
  }

  /**
   * The handler's responses, with the trailers of a {@link StatusException} it fails with kept in
   * the context (the call re-creates the exception from the status alone).
   */
  static Flow.Publisher<Message> keepingTrailers(
      Flow.Publisher<? extends Message> responses, CallContext context) {
    return subscriber ->
        responses.subscribe(
            new MappingSubscriber<Message, Message>(subscriber, m -> m) {
              @Override
              public void onError(Throwable error) {
                keepTrailers(error, context);
                super.onError(error);
              }
            });
  }

  /** Adds the trailers of {@code error}, when it is a {@link StatusException}, to the context's. */
  static void keepTrailers(Throwable error, CallContext context) {
    context.responseTrailers().putAll(Status.trailersFromThrowable(error));
  }
}
