package dev.freshet.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * How a command prints what it found, with kubectl's {@code -o}: a table for people, or every field
 * in full as JSON or YAML for scripts. A picocli mixin.
 */
public class Output {

  /** The formats {@code -o} accepts. */
  public enum Format {
    table,
    json,
    yaml
  }

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.table;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();
  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** A column of the table: its heading and how a row fills it. */
  public record Column<T>(String heading, Function<T, String> value) {}

  /** Prints {@code rows}: as a table of {@code columns}, or each whole row as JSON or YAML. */
  public <T> void print(PrintWriter out, List<T> rows, List<Column<T>> columns) {
    try {
      switch (format) {
        case json -> out.println(JSON.writeValueAsString(rows));
        case yaml -> out.print(YAML.writeValueAsString(rows));
        case table -> printTable(out, rows, columns);
      }
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }

  /** kubectl's layout: upper-case headings, columns three spaces apart, "<none>" for nothing. */
  static <T> void printTable(PrintWriter out, List<T> rows, List<Column<T>> columns) {
    List<String[]> lines = new ArrayList<>();
    lines.add(columns.stream().map(Column::heading).toArray(String[]::new));
    for (T row : rows) {
      lines.add(
          columns.stream()
              .map(c -> c.value().apply(row))
              .map(v -> v == null || v.isBlank() ? "<none>" : v.replace('\n', ' '))
              .toArray(String[]::new));
    }
    int[] widths = new int[columns.size()];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        text.append(line[i]);
        if (i < line.length - 1) {
          text.append(" ".repeat(widths[i] - line[i].length() + 3));
        }
      }
      out.println(text.toString().stripTrailing());
    }
  }
}
