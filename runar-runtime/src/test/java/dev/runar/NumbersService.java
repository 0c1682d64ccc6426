package dev.runar;

import dev.runar.examples.numbers.CountRequest;
import dev.runar.examples.numbers.Number;
import dev.runar.examples.numbers.NumbersRunar;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** The streaming tests' service, written in direct style, recording what its producer did. */
final class NumbersService extends NumbersRunar.NumbersImplBase {
  final AtomicLong sent = new AtomicLong();
  final CountDownLatch producerStopped = new CountDownLatch(1);
  volatile Status producerEnd;

  static Number number(long value) {
    return Number.newBuilder().setValue(value).build();
  }

  @Override
  public Number square(Number request) {
    return number(request.getValue() * request.getValue());
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
