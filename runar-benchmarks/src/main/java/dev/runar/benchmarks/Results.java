package dev.runar.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The measurements of one run: printed as one table and written as CSV and JSON. */
class Results {
  /** One measurement. */
  record Row(
      String scenario,
      String system,
      String mode,
      String payload,
      String metric,
      double value,
      String unit) {}

  private final List<Row> rows = new ArrayList<>();

  void add(
      String scenario,
      String system,
      String mode,
      String payload,
      String metric,
      double value,
      String unit) {
    rows.add(new Row(scenario, system, mode, payload, metric, value, unit));
    System.out.printf(
        Locale.ROOT,
        "  %-16s %-22s %-9s %-7s %-14s %12.1f %s%n",
        scenario,
        system,
        mode,
        payload,
        metric,
        value,
        unit);
  }

  List<Row> rows() {
    return rows;
  }

  /** The value of a measurement, or NaN when it was not taken. */
  double value(String scenario, String system, String mode, String payload, String metric) {
    for (Row r : rows) {
      if (r.scenario().equals(scenario)
          && r.system().equals(system)
          && r.mode().equals(mode)
          && r.payload().equals(payload)
          && r.metric().equals(metric)) {
        return r.value();
      }
    }
    return Double.NaN;
  }

  String table() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "| %-16s | %-22s | %-9s | %-7s | %-14s | %12s | %-6s |%n",
            "scenario",
            "system",
            "mode",
            "payload",
            "metric",
            "value",
            "unit"));
    out.append("|---|---|---|---|---|---:|---|\n");
    for (Row r : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %-16s | %-22s | %-9s | %-7s | %-14s | %12.1f | %-6s |%n",
              r.scenario(),
              r.system(),
              r.mode(),
              r.payload(),
              r.metric(),
              r.value(),
              r.unit()));
    }
    return out.toString();
  }

  void write(Path dir, List<String> ratios, String machine) throws IOException {
    Files.createDirectories(dir);
    StringBuilder csv = new StringBuilder("scenario,system,mode,payload,metric,value,unit\n");
    StringBuilder json =
        new StringBuilder(
            "{\n  \"machine\": \"" + machine.replace("\"", "'") + "\",\n  \"results\": [\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%s,%s,%s,%.3f,%s%n",
              r.scenario(),
              r.system(),
              r.mode(),
              r.payload(),
              r.metric(),
              r.value(),
              r.unit()));
      json.append(
          String.format(
              Locale.ROOT,
              "    {\"scenario\": \"%s\", \"system\": \"%s\", \"mode\": \"%s\", \"payload\": \"%s\", \"metric\": \"%s\", \"value\": %.3f, \"unit\": \"%s\"}%s%n",
              r.scenario(),
              r.system(),
              r.mode(),
              r.payload(),
              r.metric(),
              r.value(),
              r.unit(),
              i + 1 < rows.size() ? "," : ""));
    }
    json.append("  ],\n  \"ratios\": [\n");
    for (int i = 0; i < ratios.size(); i++) {
      json.append("    \"")
          .append(ratios.get(i).replace("\"", "'"))
          .append('"')
          .append(i + 1 < ratios.size() ? "," : "")
          .append('\n');
    }
    json.append("  ]\n}\n");
    Files.writeString(dir.resolve("results.csv"), csv, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("results.json"), json, StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("results.md"),
        table() + "\n" + String.join("\n", ratios) + "\n",
        StandardCharsets.UTF_8);
  }
}
