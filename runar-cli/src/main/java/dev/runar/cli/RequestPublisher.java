package dev.runar.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A streaming call's requests: JSON objects read one per line (blank lines skipped) from standard
 * input, or a fixed list, parsed as the request type and handed over as the call asks for them.
 * Reading happens on a thread of its own, only while there is demand, so a slow callee slows the
 * reading. One subscriber.
 */
final class RequestPublisher implements Flow.Publisher<DynamicMessage> {
  /** Where lines come from. */
  interface Lines {
    /** The next line, or null at the end. */
    String next() throws IOException;

    static Lines of(BufferedReader reader) {
      return reader::readLine;
    }

    static Lines of(List<String> lines) {
      Iterator<String> it = lines.iterator();
      return () -> it.hasNext() ? it.next() : null;
    }
  }

  private final Lines lines;
  private final Descriptor type;
  private final Json json;
  private final String source;
  private final boolean numbered;
  private final AtomicReference<CliException> failure = new AtomicReference<>();

  /**
   * @param source what the lines are, for error messages ("the request", "standard input")
   * @param numbered whether errors name the line's number
   */
  RequestPublisher(Lines lines, Descriptor type, Json json, String source, boolean numbered) {
    this.lines = lines;
    this.type = type;
    this.json = json;
    this.source = source;
    this.numbered = numbered;
  }

  /** Why the requests ended early (a line that is not a request), if they did. */
  CliException failure() {
    return failure.get();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super DynamicMessage> subscriber) {
    Reader reader = new Reader(subscriber);
    subscriber.onSubscribe(reader);
    Thread thread = new Thread(reader, "runar-cli-requests");
    thread.setDaemon(true);
    thread.start();
  }

  private final class Reader implements Flow.Subscription, Runnable {
    private final Flow.Subscriber<? super DynamicMessage> subscriber;
    private long demand;
    private boolean cancelled;
    private Optional<IllegalArgumentException> refused = Optional.empty();

    Reader(Flow.Subscriber<? super DynamicMessage> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public synchronized void request(long n) {
      if (n <= 0) {
        // Reactive Streams rule 3.9: the subscriber hears an IllegalArgumentException.
        refused =
            refused.or(
                () ->
                    Optional.of(
                        new IllegalArgumentException(
                            "request(" + n + "): the number requested must be positive")));
      } else {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      }
      notifyAll();
    }

    @Override
    public synchronized void cancel() {
      cancelled = true;
      notifyAll();
    }

    /** Waits for demand: false once cancelled or refused (see {@link #refusal}). */
    private synchronized boolean awaitDemand() throws InterruptedException {
      while (demand == 0 && !cancelled && refused.isEmpty()) {
        wait();
      }
      if (cancelled || refused.isPresent()) {
        return false;
      }
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      return true;
    }

    /** Why the subscription ends, if the subscriber asked for a non-positive number. */
    private synchronized Optional<IllegalArgumentException> refusal() {
      return cancelled ? Optional.empty() : refused;
    }

    @Override
    public void run() {
      int number = 0;
      try {
        while (awaitDemand()) {
          String line;
          do {
            line = lines.next();
            number++;
          } while (line != null && line.isBlank());
          if (line == null) {
            subscriber.onComplete();
            return;
          }
          DynamicMessage request;
          try {
            request = json.parse(line, type, numbered ? source + " line " + number : source);
          } catch (CliException e) {
            failure.set(e);
            subscriber.onError(e);
            return;
          }
          subscriber.onNext(request);
        }
        refusal().ifPresent(subscriber::onError);
      } catch (IOException e) {
        CliException e2 = CliException.cannotRun("cannot read " + source + ": " + e.getMessage());
        failure.set(e2);
        subscriber.onError(e2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
