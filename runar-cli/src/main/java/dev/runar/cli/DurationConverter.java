package dev.runar.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Reads durations as people write them: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return positive(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))), value);
      }
      long amount = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return positive(Duration.ofSeconds(amount), value);
        case 'm':
          return positive(Duration.ofMinutes(amount), value);
        case 'h':
          return positive(Duration.ofHours(amount), value);
        default:
          break;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // the message below says what is expected
    }
    throw new CommandLine.TypeConversionException(
        "'" + value + "' is not a duration: write it as 500ms, 2s, 1m or 1h");
  }

  private static Duration positive(Duration d, String value) {
    if (d.isNegative() || d.isZero()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a positive duration: write it as 500ms, 2s, 1m or 1h");
    }
    return d;
  }
}
