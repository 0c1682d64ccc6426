package dev.runar;

import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/** The streaming tests' service, written in direct style, recording what its producer did. */
final class NumbersService extends NumbersRunar.NumbersImplBase {
  final AtomicLong sent = new AtomicLong();
  final CountDownLatch producerStopped = new CountDownLatch(1);
  volatile Status producerEnd;

  /** When set, {@code sum} requests no numbers and replies 1 if it got rule 3.9's error for it. */
  volatile boolean sumRequestsNone;

  /**
   * When set, {@code sum} asks for every number in its {@code onSubscribe}, cancels after ten and
   * replies with their sum.
   */
  volatile boolean sumTakesTen;

  static Number number(long value) {
    return Number.newBuilder().setValue(value).build();
  }

  /** Waits until {@code client} can call {@code square} (on another node: found and connected). */
  static void awaitReachable(Node client) throws Exception {
    TestServices.eventually(
        () -> {
          try {
            NumbersRunar.newBlockingStub(client).square(number(2));
            return true;
          } catch (StatusException e) {
            return false;
          }
        });
  }

  @Override
  public Number square(Number request) {
    return number(request.getValue() * request.getValue());
  }

  /**
   * When set, {@code count} answers with a publisher that emits on the requesting thread, inside
   * the {@code request} call (so a request made in {@code onNext} nests the next {@code onNext}).
   */
  volatile boolean countInline;

  @Override
  public Flow.Publisher<Number> countAsync(CountRequest request) {
    if (!countInline) {
      return super.countAsync(request);
    }
    return subscriber ->
        subscriber.onSubscribe(
            new Flow.Subscription() {
              private long next = 1;
              private boolean done;

              @Override
              public void request(long n) {
                for (long i = 0; i < n && !done && next <= request.getCount(); i++) {
                  subscriber.onNext(number(next++));
                }
                if (next > request.getCount() && !done) {
                  done = true;
                  subscriber.onComplete();
                }
              }

              @Override
              public void cancel() {
                done = true;
              }
            });
  }

  @Override
  public void count(CountRequest request, StreamSink<Number> responses)
      throws InterruptedException {
    try {
      com.google.protobuf.ByteString padding =
          com.google.protobuf.ByteString.copyFrom(new byte[request.getPadding()]);
      for (long i = 1; i <= request.getCount(); i++) {
        responses.send(number(i).toBuilder().setPadding(padding).build());
        sent.incrementAndGet();
        if (request.getPauseMillis() > 0) {
          Thread.sleep(request.getPauseMillis());
        }
      }
      producerEnd = Status.OK;
    } catch (StatusException e) {
      producerEnd = e.status();
      throw e;
    } finally {
      producerStopped.countDown();
    }
  }

  @Override
  public CompletionStage<Number> sumAsync(Flow.Publisher<Number> requests) throws Exception {
    if (sumTakesTen) {
      return takeTen(requests);
    }
    if (!sumRequestsNone) {
      return super.sumAsync(requests);
    }
    CompletableFuture<Number> reply = new CompletableFuture<>();
    requests.subscribe(
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(0);
          }

          @Override
          public void onNext(Number item) {
            reply.completeExceptionally(new AssertionError("got a number it did not ask for"));
          }

          @Override
          public void onError(Throwable error) {
            reply.complete(number(error instanceof IllegalArgumentException ? 1 : 0));
          }

          @Override
          public void onComplete() {
            reply.completeExceptionally(new AssertionError("completed, not failed"));
          }
        });
    return reply;
  }

  private static CompletionStage<Number> takeTen(Flow.Publisher<Number> requests) {
    CompletableFuture<Number> reply = new CompletableFuture<>();
    requests.subscribe(
        new Flow.Subscriber<>() {
          private Flow.Subscription subscription;
          private long taken;
          private long total;

          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(Number item) {
            total += item.getValue();
            if (++taken == 10) {
              subscription.cancel();
              reply.complete(number(total));
            }
          }

          @Override
          public void onError(Throwable error) {
            reply.completeExceptionally(error);
          }

          @Override
          public void onComplete() {
            reply.completeExceptionally(new AssertionError("only " + taken + " numbers"));
          }
        });
    return reply;
  }

  @Override
  public Number sum(BlockingStream<Number> requests) {
    long total = 0;
    while (requests.hasNext()) {
      total += requests.next().getValue();
    }
    return number(total);
  }

  @Override
  public void double_(BlockingStream<Number> requests, StreamSink<Number> responses) {
    while (requests.hasNext()) {
      responses.send(number(2 * requests.next().getValue()));
    }
  }
}
