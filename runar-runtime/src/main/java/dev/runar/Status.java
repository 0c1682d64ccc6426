package dev.runar;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The outcome of a call: a {@link Code}, a human-readable description, and optional details for
 * programs ({@link Any} messages, as in {@code google.rpc.Status}: the standard error details such
 * as {@code google.rpc.BadRequest} or {@code google.rpc.RetryInfo} fit, packed with {@link
 * Any#pack}). The codes and their numbers are gRPC's, so a status means the same thing in a local
 * call, on the wire and in a generated stub, and maps one to one onto gRPC's when bridging. Code,
 * description and details cross the wire unchanged; see {@code docs/errors.md}.
 *
 * <p>Immutable. A failed status travels to callers as a {@link StatusException}.
 */
public final class Status {
  /** Status codes, numbered as in gRPC. */
  public enum Code {
    OK(0),
    CANCELLED(1),
    UNKNOWN(2),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    ALREADY_EXISTS(6),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    ABORTED(10),
    OUT_OF_RANGE(11),
    UNIMPLEMENTED(12),
    INTERNAL(13),
    UNAVAILABLE(14),
    DATA_LOSS(15),
    UNAUTHENTICATED(16);

    private static final Code[] BY_VALUE = values();

    private final int value;

    Code(int value) {
      this.value = value;
    }

    /** The code's number, as sent on the wire. */
    public int value() {
      return value;
    }

    /** The code with number {@code value}; {@link #UNKNOWN} for a number this version lacks. */
    public static Code forValue(int value) {
      return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNKNOWN;
    }

    /** A status with this code and no description. */
    public Status toStatus() {
      return new Status(this, null, null, ImmutableList.of());
    }
  }

  public static final Status OK = Code.OK.toStatus();
  public static final Status CANCELLED = Code.CANCELLED.toStatus();
  public static final Status UNKNOWN = Code.UNKNOWN.toStatus();
  public static final Status INVALID_ARGUMENT = Code.INVALID_ARGUMENT.toStatus();
  public static final Status DEADLINE_EXCEEDED = Code.DEADLINE_EXCEEDED.toStatus();
  public static final Status NOT_FOUND = Code.NOT_FOUND.toStatus();
  public static final Status ALREADY_EXISTS = Code.ALREADY_EXISTS.toStatus();
  public static final Status PERMISSION_DENIED = Code.PERMISSION_DENIED.toStatus();
  public static final Status RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED.toStatus();
  public static final Status FAILED_PRECONDITION = Code.FAILED_PRECONDITION.toStatus();
  public static final Status ABORTED = Code.ABORTED.toStatus();
  public static final Status OUT_OF_RANGE = Code.OUT_OF_RANGE.toStatus();
  public static final Status UNIMPLEMENTED = Code.UNIMPLEMENTED.toStatus();
  public static final Status INTERNAL = Code.INTERNAL.toStatus();
  public static final Status UNAVAILABLE = Code.UNAVAILABLE.toStatus();
  public static final Status DATA_LOSS = Code.DATA_LOSS.toStatus();
  public static final Status UNAUTHENTICATED = Code.UNAUTHENTICATED.toStatus();

  private final Code code;
  private final String description;
  private final Throwable cause;
  private final ImmutableList<Any> details;

  private Status(Code code, String description, Throwable cause, ImmutableList<Any> details) {
    this.code = Objects.requireNonNull(code, "code");
    this.description = description;
    this.cause = cause;
    this.details = details;
  }

  /** The status for {@code code}'s number, as read from the wire. */
  public static Status fromCodeValue(int value) {
    return Code.forValue(value).toStatus();
  }

  /**
   * The status a throwable stands for: the status of a {@link StatusException} (looked for through
   * {@link CompletionException} and {@link ExecutionException} wrappers), {@link #CANCELLED} for a
   * {@link CancellationException}, {@link #DEADLINE_EXCEEDED} for a {@link TimeoutException}, and
   * {@link #INTERNAL} naming the exception for anything else.
   */
  public static Status fromThrowable(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof StatusException se) {
      return se.status();
    }
    if (cause instanceof CancellationException) {
      return CANCELLED.withDescription(cause.getMessage()).withCause(cause);
    }
    if (cause instanceof TimeoutException) {
      return DEADLINE_EXCEEDED.withDescription(cause.getMessage()).withCause(cause);
    }
    String message = cause.getMessage();
    String what = cause.getClass().getSimpleName();
    return INTERNAL
        .withDescription(message == null ? what : what + ": " + message)
        .withCause(cause);
  }

  /**
   * The trailers of the {@link StatusException} a throwable is or wraps (through the same wrappers
   * as {@link #fromThrowable}); empty for anything else. As grpc-java's {@code
   * Status.trailersFromThrowable}.
   */
  public static Metadata trailersFromThrowable(Throwable t) {
    return unwrap(t) instanceof StatusException e ? e.trailers() : Metadata.EMPTY;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = Objects.requireNonNull(t, "t");
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  public Code code() {
    return code;
  }

  /** What went wrong, for people; may be null. */
  public String description() {
    return description;
  }

  /** The local cause, never sent over the network; may be null. */
  public Throwable cause() {
    return cause;
  }

  public boolean isOk() {
    return code == Code.OK;
  }

  public Status withDescription(String description) {
    return Objects.equals(description, this.description)
        ? this
        : new Status(code, description, cause, details);
  }

  /** This status with {@code context} put in front of its description. */
  public Status augmentDescription(String context) {
    return withDescription(description == null ? context : context + ": " + description);
  }

  public Status withCause(Throwable cause) {
    return cause == this.cause ? this : new Status(code, description, cause, details);
  }

  /** The details for programs, in the order added; empty for most statuses. */
  public ImmutableList<Any> details() {
    return details;
  }

  /** This status with {@code details} added after its own. */
  public Status withDetails(Any... details) {
    return withDetails(Arrays.asList(details));
  }

  /** This status with {@code details} added after its own. */
  public Status withDetails(Iterable<Any> details) {
    ImmutableList<Any> more = ImmutableList.copyOf(details);
    return more.isEmpty()
        ? this
        : new Status(
            code,
            description,
            cause,
            ImmutableList.<Any>builder().addAll(this.details).addAll(more).build());
  }

  /**
   * The first detail of type {@code type} (say {@code com.google.rpc.BadRequest.class}), unpacked.
   */
  public <T extends Message> Optional<T> detail(Class<T> type) {
    for (Any any : details) {
      if (any.is(type)) {
        try {
          return Optional.of(any.unpack(type));
        } catch (InvalidProtocolBufferException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** An exception carrying this status, for throwing or completing a future with. */
  public StatusException asException() {
    return new StatusException(this);
  }

  /** An exception carrying this status and the trailers the caller receives with it. */
  public StatusException asException(Metadata trailers) {
    return new StatusException(this, trailers);
  }

  /** Equal code, description and details; the local cause is left out. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Status other
        && code == other.code
        && Objects.equals(description, other.description)
        && details.equals(other.details);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, description, details);
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("code", code)
        .add("description", description)
        .add("cause", cause)
        .add("details", details.isEmpty() ? null : details.size())
        .omitNullValues()
        .toString();
  }
}
