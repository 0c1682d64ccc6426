package dev.runar.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import java.util.Locale;

/**
 * One JSON object on one line, its members in the order added: what {@code --json} output and
 * {@code runar tail} print. Not thread-safe.
 */
final class JsonLine {
  private static final JsonFormat.Printer STRING = JsonFormat.printer();
  private final StringBuilder out = new StringBuilder("{");

  JsonLine string(String name, String value) {
    return raw(name, quote(value));
  }

  JsonLine number(String name, double value) {
    return raw(
        name,
        value == Math.rint(value)
            ? String.valueOf((long) value)
            : String.format(Locale.ROOT, "%.3f", value));
  }

  JsonLine strings(String name, List<String> values) {
    StringBuilder array = new StringBuilder("[");
    for (String v : values) {
      if (array.length() > 1) {
        array.append(',');
      }
      array.append(quote(v));
    }
    return raw(name, array.append(']').toString());
  }

  /** A member whose value is already JSON. */
  JsonLine raw(String name, String json) {
    if (out.length() > 1) {
      out.append(',');
    }
    out.append(quote(name)).append(':').append(json);
    return this;
  }

  static String quote(String s) {
    try {
      return STRING.print(Value.newBuilder().setStringValue(s).build());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("a string value always prints", e);
    }
  }

  @Override
  public String toString() {
    return out + "}";
  }
}
