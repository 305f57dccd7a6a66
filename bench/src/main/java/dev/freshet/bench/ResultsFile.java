package dev.freshet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <date>-<scenario>.json}: the run (date, machine, scale) and every result of one scenario.
 * Figures without a baseline carry {@code "NaN"} as their baseline and ratio.
 */
final class ResultsFile {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsFile() {}

  static String json(Map<String, Object> run, String scenario, List<ScenarioResult> results)
      throws IOException {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("scenario", scenario);
    document.put("run", run);
    document.put("results", results);
    return JSON.writeValueAsString(document);
  }

  static Path write(
      Path dir, String date, Map<String, Object> run, String scenario, List<ScenarioResult> results)
      throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(date + "-" + scenario + ".json");
    Files.writeString(file, json(run, scenario, results) + "\n");
    return file;
  }

  /** Reads a document back as a tree, for tests and tools. */
  static com.fasterxml.jackson.databind.JsonNode read(String json) throws IOException {
    return JSON.readTree(json);
  }
}
