package dev.runar.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import dev.runar.CallOptions;
import dev.runar.MethodDescriptor;
import dev.runar.MethodDescriptor.MethodType;
import dev.runar.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runar call PATH [JSON]}: calls an action with a JSON request and prints the reply as JSON.
 * Streaming shapes read requests as JSON lines from standard input and print replies as JSON lines.
 */
@Command(
    name = "call",
    sortOptions = false,
    customSynopsis =
        "runar call PATH [JSON] [--timeout DURATION] [--metadata KEY=VALUE]... [NETWORK OPTIONS]",
    description = {
      "Calls the action at PATH (greeter/hello, or its proto name greeter.Greeter/SayHello) and"
          + " prints the reply as JSON.",
      "Unary and server-streaming actions take the request as the JSON argument ({} when"
          + " omitted); a server stream prints one JSON reply per line.",
      "Client- and bidirectional-streaming actions read requests from standard input, one JSON"
          + " object per line, until its end; bidirectional streams print one reply per line.",
      "On failure, standard error says the status and why, and the exit code is 64 + the status"
          + " code (NOT_FOUND 69, DEADLINE_EXCEEDED 68, INVALID_ARGUMENT 67).",
    })
final class CallCommand implements Callable<Integer> {
  /** How long a streaming call may last when --timeout does not say. */
  private static final Duration STREAM_DEFAULT_TIMEOUT = Duration.ofDays(365);

  private static final Duration UNARY_DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration SLACK = Duration.ofSeconds(5);

  @ArgGroup(validate = false, heading = NetworkOptions.HEADING, order = 100)
  NetworkOptions network = new NetworkOptions();

  @Parameters(index = "0", paramLabel = "PATH", description = "The action to call.")
  String path;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "JSON",
      description = "The request as JSON (unary and server streaming; default: {}).")
  String request;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "The call's deadline, e.g. 500ms or 10s (default: 30s for unary and client-streaming"
              + " calls, none for the others).")
  Duration timeout;

  @Option(
      names = {"-m", "--metadata"},
      paramLabel = "KEY=VALUE",
      description = "Metadata sent with the call; repeat for more.")
  List<String> metadata = new ArrayList<>();

  @Option(
      names = "--emit-defaults",
      description = "Print fields that have their default value (0, \"\", false) too.")
  boolean emitDefaults;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    CallOptions options = options();
    try (Session session = Session.join(network, spec.commandLine().getErr())) {
      Action action = Targets.action(session, path);
      Catalog catalog = session.catalog();
      Descriptor requestType = type(catalog, action.requestType(), action);
      Descriptor responseType = type(catalog, action.responseType(), action);
      Json json = new Json(catalog, emitDefaults);
      MethodDescriptor<DynamicMessage, DynamicMessage> method =
          MethodDescriptor.create(
              action.type(),
              action.servicePath(),
              action.actionName(),
              DynamicMessage.getDefaultInstance(requestType),
              DynamicMessage.getDefaultInstance(responseType));
      boolean fromStdin =
          action.type() == MethodType.CLIENT_STREAMING
              || action.type() == MethodType.BIDI_STREAMING;
      if (fromStdin && request != null) {
        throw CliException.cannotRun(
            action.path()
                + " is "
                + action.shape()
                + ": it reads its requests from standard input, one JSON object per line, not"
                + " from an argument. Try: echo '"
                + request
                + "' | runar call "
                + path);
      }
      Duration deadline =
          timeout != null
              ? timeout
              : action.type() == MethodType.SERVER_STREAMING
                      || action.type() == MethodType.BIDI_STREAMING
                  ? STREAM_DEFAULT_TIMEOUT
                  : UNARY_DEFAULT_TIMEOUT;
      options = options.withTimeout(deadline);
      if (action.type() == MethodType.UNARY) {
        DynamicMessage message =
            json.parse(request == null ? "{}" : request, requestType, "the request");
        unary(session, method, message, options, deadline, json, out);
        return 0;
      }
      RequestPublisher requests =
          fromStdin
              ? new RequestPublisher(
                  RequestPublisher.Lines.of(
                      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))),
                  requestType,
                  json,
                  "standard input",
                  true)
              : new RequestPublisher(
                  RequestPublisher.Lines.of(List.of(request == null ? "{}" : request)),
                  requestType,
                  json,
                  "the request",
                  false);
      if (!fromStdin) {
        json.parse(request == null ? "{}" : request, requestType, "the request"); // fail early
      }
      boolean printLines = action.type() != MethodType.CLIENT_STREAMING;
      Replies replies = new Replies(json, out, printLines);
      session.node().stream(method, requests, options).subscribe(replies);
      Status status = replies.await(deadline.plus(SLACK));
      if (requests.failure() != null) {
        throw requests.failure();
      }
      if (!status.isOk()) {
        throw CliException.status(status);
      }
    }
    return 0;
  }

  private static void unary(
      Session session,
      MethodDescriptor<DynamicMessage, DynamicMessage> method,
      DynamicMessage message,
      CallOptions options,
      Duration deadline,
      Json json,
      PrintWriter out)
      throws InterruptedException {
    CompletableFuture<DynamicMessage> reply = session.node().call(method, message, options);
    try {
      out.println(json.pretty(reply.get(deadline.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS)));
      out.flush();
    } catch (TimeoutException e) {
      reply.cancel(true);
      throw CliException.status(
          Status.Code.DEADLINE_EXCEEDED, "no reply within " + Session.format(deadline));
    } catch (java.util.concurrent.ExecutionException e) {
      throw CliException.status(Status.fromThrowable(e));
    }
  }

  private CallOptions options() {
    CallOptions options = CallOptions.DEFAULT;
    for (String entry : metadata) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw CliException.cannotRun(
            "--metadata " + entry + ": expected KEY=VALUE, e.g. --metadata tenant=blue");
      }
      options = options.withMetadata(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return options;
  }

  private static Descriptor type(Catalog catalog, String typeName, Action action) {
    return catalog
        .message(typeName)
        .orElseThrow(
            () ->
                CliException.status(
                    Status.Code.UNIMPLEMENTED,
                    "no node describes "
                        + typeName
                        + ", the type "
                        + action.path()
                        + " uses (the nodes serving it, "
                        + String.join(", ", action.nodes())
                        + ", host it without a proto descriptor), so it cannot be written as"
                        + " JSON"));
  }

  /** Prints each reply (a JSON line, or pretty JSON for the one reply of a client stream). */
  private static final class Replies implements Flow.Subscriber<DynamicMessage> {
    private final Json json;
    private final PrintWriter out;
    private final boolean lines;
    private final CompletableFuture<Status> done = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    Replies(Json json, PrintWriter out, boolean lines) {
      this.json = json;
      this.out = out;
      this.lines = lines;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(DynamicMessage reply) {
      out.println(lines ? json.line(reply) : json.pretty(reply));
      out.flush();
      subscription.request(1);
    }

    @Override
    public void onError(Throwable failure) {
      done.complete(Status.fromThrowable(failure));
    }

    @Override
    public void onComplete() {
      done.complete(Status.OK);
    }

    Status await(Duration limit) throws InterruptedException {
      try {
        return done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        Flow.Subscription s = subscription;
        if (s != null) {
          s.cancel();
        }
        return Status.DEADLINE_EXCEEDED.withDescription(
            "the stream did not end within " + Session.format(limit));
      } catch (java.util.concurrent.ExecutionException e) {
        return Status.fromThrowable(e);
      }
    }
  }
}
