package dev.runar.cli;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.runar.Event;
import dev.runar.StatusException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code runar tail PATTERN}: prints the events published on matching topics as JSON lines. */
@Command(
    name = "tail",
    sortOptions = false,
    customSynopsis = "runar tail PATTERN [--count N] [--for DURATION] [NETWORK OPTIONS]",
    description = {
      "Prints the events published on topics matching PATTERN, one JSON object per line:"
          + " {\"topic\":...,\"type\":...,\"payload\":{...}}. Runs until interrupted (Ctrl-C), or"
          + " --count events, or --for a time.",
      "Patterns: * matches one segment, > the rest (sensors/*, sensors/>, >). Payloads are"
          + " decoded through the descriptors the nodes expose; a type no node describes is"
          + " printed as \"payloadBase64\".",
    })
final class TailCommand implements Callable<Integer> {
  @ArgGroup(validate = false, heading = NetworkOptions.HEADING, order = 100)
  NetworkOptions network = new NetworkOptions();

  @Parameters(paramLabel = "PATTERN", description = "Topics to follow, e.g. 'sensors/>'.")
  String pattern;

  @Option(
      names = {"-c", "--count"},
      paramLabel = "N",
      description = "Stop after N events.")
  Integer count;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop after this long, e.g. 10s.")
  Duration duration;

  @Option(
      names = "--emit-defaults",
      description = "Print fields that have their default value (0, \"\", false) too.")
  boolean emitDefaults;

  @Spec CommandSpec spec;

  private final Set<String> refreshedFor = ConcurrentHashMap.newKeySet();

  @Override
  public Integer call() throws InterruptedException {
    if (count != null && count <= 0) {
      throw CliException.cannotRun("--count must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch enough = new CountDownLatch(1);
    AtomicInteger seen = new AtomicInteger();
    AtomicReference<Session> joined = new AtomicReference<>();
    try (Session session =
        Session.join(
            network,
            err,
            node -> {
              try {
                node.subscribe(
                    pattern,
                    event -> {
                      Session s = joined.get();
                      if (s == null || enough.getCount() == 0) {
                        return;
                      }
                      synchronized (out) {
                        out.println(line(s, event));
                        out.flush();
                      }
                      if (count != null && seen.incrementAndGet() >= count) {
                        enough.countDown();
                      }
                    });
              } catch (StatusException e) {
                throw CliException.status(
                    e.status().augmentDescription("'" + pattern + "' is not a topic pattern"));
              }
            })) {
      joined.set(session);
      session.awaitSettled();
      session.catalog();
      err.println(
          "runar: following '"
              + pattern
              + "' on network '"
              + session.networkId()
              + "' ("
              + session.connected().size()
              + " nodes connected)");
      err.flush();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    enough.countDown();
                    session.close(); // Ctrl-C: still say goodbye
                  },
                  "runar-cli-interrupt"));
      if (duration != null) {
        enough.await(duration.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        enough.await();
      }
      enough.countDown();
    }
    return 0;
  }

  /** One event as a JSON line. */
  private String line(Session session, Event event) {
    JsonLine o =
        new JsonLine().string("topic", event.topic().actionPath()).string("type", event.typeName());
    Message payload = event.payload();
    Optional<Descriptor> type = type(session, event.typeName());
    if (type.isPresent()) {
      try {
        Message decoded =
            payload instanceof Any any
                ? DynamicMessage.parseFrom(type.get(), any.getValue())
                : payload;
        Json json = new Json(session.catalog(), emitDefaults);
        return o.raw("payload", json.line(decoded)).toString();
      } catch (InvalidProtocolBufferException | CliException e) {
        o.string("error", "cannot decode the payload: " + e.getMessage());
      }
    }
    byte[] bytes =
        payload instanceof Any any ? any.getValue().toByteArray() : payload.toByteArray();
    return o.string("payloadBase64", Base64.getEncoder().encodeToString(bytes)).toString();
  }

  /** The event type's descriptor; asks the nodes again, once per type, when none described it. */
  private Optional<Descriptor> type(Session session, String typeName) {
    Optional<Descriptor> type = session.catalog().message(typeName);
    if (type.isEmpty() && refreshedFor.add(typeName)) {
      type = session.refreshCatalog().message(typeName);
    }
    return type;
  }
}
