package dev.freshet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The bench harness (bench/run.sh): runs the chosen scenarios on the bench's testbed against
 * Freshet and, when given one, a peer operator, then writes {@code <date>-<scenario>.json} and PNG
 * plots to the results directory and prints the table.
 *
 * <p>Arguments: TESTBED_DIR RESULTS_DIR FRESHET_LAUNCHER [SCENARIO…]. Environment: BENCH_SCALE
 * (full or small), FRESHET_BENCH_PEER_CMD, FRESHET_BENCH_PEER_ANNOTATIONS, FRESHET_BENCH_PEER_NAME.
 */
public final class Bench {
  static final List<String> SCENARIOS = List.of("steady", "footprint", "burst", "webhook", "cold");

  public static void main(String[] args) throws Exception {
    Path testbedDir = Path.of(args[0]);
    Path resultsDir = Path.of(args[1]);
    var freshet = OperatorUnderTest.freshet(Path.of(args[2]));
    List<String> chosen = args.length > 3 ? List.of(args).subList(3, args.length) : SCENARIOS;
    for (String s : chosen) {
      if (!SCENARIOS.contains(s)) {
        throw new IllegalArgumentException("no scenario " + s + "; there are " + SCENARIOS);
      }
    }
    Scale scale = Scale.named(Optional.ofNullable(System.getenv("BENCH_SCALE")).orElse("full"));
    List<OperatorUnderTest> operators = new ArrayList<>(List.of(freshet));
    peer().ifPresent(operators::add);

    Path logs = testbedDir.resolve("bench-logs");
    Files.createDirectories(logs);
    long start = System.nanoTime();
    Map<String, List<ScenarioResult>> byScenario = new LinkedHashMap<>();
    try (var testbed = new BenchTestbed(testbedDir)) {
      // Freshet's informers need the App resource to exist, whichever scenario runs.
      testbed.installAppCrd();
      if (chosen.contains("steady") || chosen.contains("footprint")) {
        for (var operator : operators) {
          ScenarioResult smaller = null;
          for (int[] size : scale.steady()) {
            List<ScenarioResult> results =
                SteadyPolling.run(
                    testbed, operator, size[0], size[1], scale.interval(), scale.cycles(), logs);
            ScenarioResult footprint = results.get(1);
            if (smaller != null) {
              SteadyPolling.addHeapGrowth(smaller, footprint);
            }
            smaller = footprint;
            for (ScenarioResult r : results) {
              byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
            }
            write(resultsDir, scale, chosen, operators, byScenario, start);
          }
        }
      }
      if (chosen.contains("burst")) {
        for (var operator : operators) {
          add(
              byScenario,
              PushBurst.run(
                  testbed,
                  operator,
                  scale.burstWorkloads(),
                  scale.burstImages(),
                  scale.interval(),
                  logs));
        }
        write(resultsDir, scale, chosen, operators, byScenario, start);
      }
      if (chosen.contains("webhook")) {
        add(
            byScenario,
            WebhookLatency.run(
                testbed,
                freshet,
                scale.webhookApps(),
                scale.webhookImages(),
                scale.webhookRolloutsPerSecond(),
                logs));
        write(resultsDir, scale, chosen, operators, byScenario, start);
      }
      if (chosen.contains("cold")) {
        add(byScenario, ColdConvergence.run(testbed, freshet, scale.coldApps(), logs));
        write(resultsDir, scale, chosen, operators, byScenario, start);
      }
    }
  }

  /**
   * Writes the results, plots and summary of every scenario measured so far; called after each
   * scenario as well as at the end, so a run cut short keeps what it measured.
   */
  private static void write(
      Path resultsDir,
      Scale scale,
      List<String> chosen,
      List<OperatorUnderTest> operators,
      Map<String, List<ScenarioResult>> byScenario,
      long start)
      throws IOException {
    double wall = (System.nanoTime() - start) / 1e9;

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    // A run at another scale than the design's names its files apart, so it replaces none of a full
    // run's figures of the same day.
    String date = scale.name().equals("full") ? today : today + "-" + scale.name();
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("finished", Instant.now().toString());
    run.put("scale", scale.name());
    run.put("scenarios", chosen);
    run.put("wallSeconds", Math.round(wall));
    run.put("machine", machine());
    run.put("operators", operators.stream().map(OperatorUnderTest::name).toList());
    List<ScenarioResult> all = new ArrayList<>();
    for (var e : byScenario.entrySet()) {
      ResultsFile.write(resultsDir, date, run, e.getKey(), e.getValue());
      Plots.figures(resultsDir, date, e.getKey(), e.getValue());
      for (ScenarioResult r : e.getValue()) {
        if (!r.series().isEmpty()) {
          Plots.distribution(
              resultsDir, date, r.scenario() + "-latency", "send to patch (ms)", r.series());
        }
      }
      all.addAll(e.getValue());
    }
    String table = Table.markdown(all);
    String summary =
        String.format(
            Locale.ROOT,
            "%s, scale %s, %s; wall time %.1f min%n%n%s",
            today,
            scale.name(),
            run.get("machine"),
            wall / 60,
            table);
    Files.writeString(resultsDir.resolve(date + "-summary.md"), summary);
    System.out.println(summary);
  }

  private static void add(Map<String, List<ScenarioResult>> byScenario, ScenarioResult r) {
    byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
  }

  private static Optional<OperatorUnderTest> peer() {
    String command = System.getenv("FRESHET_BENCH_PEER_CMD");
    if (command == null || command.isBlank()) {
      return Optional.empty();
    }
    String annotations = System.getenv("FRESHET_BENCH_PEER_ANNOTATIONS");
    if (annotations == null || annotations.isBlank()) {
      throw new IllegalArgumentException(
          "a peer needs FRESHET_BENCH_PEER_ANNOTATIONS (--peer-annotations): how it wants a"
              + " workload annotated, e.g. keel.sh/policy=force,keel.sh/trigger=poll");
    }
    String name = Optional.ofNullable(System.getenv("FRESHET_BENCH_PEER_NAME")).orElse("peer");
    return Optional.of(OperatorUnderTest.peer(name, command, annotations));
  }

  /** CPUs, model and memory, from /proc: what the figures were measured on. */
  static String machine() {
    try {
      String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
      String model =
          cpuinfo
              .lines()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse("unknown CPU");
      long memKib =
          Files.readString(Path.of("/proc/meminfo"))
              .lines()
              .filter(l -> l.startsWith("MemTotal:"))
              .findFirst()
              .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
              .orElse(0L);
      return String.format(
          Locale.ROOT,
          "%d CPUs (%s), %.1f GiB RAM",
          Runtime.getRuntime().availableProcessors(),
          model,
          memKib / 1024.0 / 1024);
    } catch (IOException e) {
      return "unknown machine";
    }
  }

  static void log(String format, Object... args) {
    System.err.printf(
        Locale.ROOT,
        "[%s] %s%n",
        Instant.now().toString().substring(11, 19),
        String.format(Locale.ROOT, format, args));
  }

  private Bench() {}
}
