package dev.runar;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A point in time by which a call must finish, measured on the monotonic clock ({@link
 * System#nanoTime}). Every Runar call has one; it travels with the call as the time left.
 */
public final class Deadline implements Comparable<Deadline> {
  private final long deadlineNanos;

  private Deadline(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /** The deadline {@code timeout} from now; a negative timeout gives an expired deadline. */
  public static Deadline after(Duration timeout) {
    return after(timeout, System.nanoTime());
  }

  /** The deadline {@code timeout} after {@code nowNanos}, a reading of the clock just taken. */
  static Deadline after(Duration timeout, long nowNanos) {
    return new Deadline(nowNanos + saturatedNanos(timeout));
  }

  /** The deadline {@code amount units} from now. */
  public static Deadline after(long amount, TimeUnit unit) {
    return after(amount, unit, System.nanoTime());
  }

  /** The deadline {@code amount units} after {@code nowNanos}, a reading just taken. */
  static Deadline after(long amount, TimeUnit unit, long nowNanos) {
    return new Deadline(nowNanos + unit.toNanos(amount));
  }

  /** Time left, negative once expired. */
  public Duration timeRemaining() {
    return Duration.ofNanos(nanosRemaining());
  }

  /** Nanoseconds left, negative once expired. */
  public long nanosRemaining() {
    return nanosRemaining(System.nanoTime());
  }

  /** Nanoseconds left at {@code nowNanos}, a reading of {@link System#nanoTime} just taken. */
  long nanosRemaining(long nowNanos) {
    return deadlineNanos - nowNanos;
  }

  public boolean isExpired() {
    return nanosRemaining() <= 0;
  }

  /** The earlier of this and {@code other}. */
  public Deadline min(Deadline other) {
    return compareTo(other) <= 0 ? this : other;
  }

  @Override
  public int compareTo(Deadline other) {
    // Subtract first: nanoTime values may wrap.
    return Long.signum(deadlineNanos - other.deadlineNanos);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline other && other.deadlineNanos == deadlineNanos;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(deadlineNanos);
  }

  @Override
  public String toString() {
    return "Deadline[" + timeRemaining() + " left]";
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }
}
