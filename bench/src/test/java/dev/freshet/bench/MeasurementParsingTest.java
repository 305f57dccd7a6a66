package dev.freshet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the harness reads from /proc, the registry's access log and its own options. */
class MeasurementParsingTest {
  @Test
  void residentMemoryAndCpuTimeFromProc() {
    String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  262144 kB\nThreads:\t40\n";
    // The command name may hold spaces and parentheses; utime 1234 and stime 66 ticks.
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 66 0 0 20 0 40 0";

    assertThat(ProcessUsage.rssKib(status)).isEqualTo(262144);
    assertThat(ProcessUsage.cpuSeconds(stat)).isEqualTo(13.0);
  }

  @Test
  void liveHeapIsTheClassHistogramsTotalBytes() {
    String histogram =
        """
        12345:
         num     #instances         #bytes  class name (module)
        -------------------------------------------------------
           1:        180443       16234872  [B (java.base@17.0.17)
           2:        178201        4276824  java.lang.String (java.base@17.0.17)
        Total        912004       91234560
        """;

    assertThat(LiveHeap.total(histogram)).hasValue(91234560);
    assertThat(LiveHeap.total("12345:\nCommand executed\n")).isEmpty();
  }

  @Test
  void registryRequestsOfOneRunByMethodFromTheAccessLog() {
    var lines =
        List.of(
            "time=\"2026-11-30T17:10:39Z\" level=info msg=\"response completed\""
                + " http.request.method=HEAD http.request.uri=/v2/bench-a/img-0/manifests/dev",
            "127.0.0.1 - - [30/Nov/2026:17:10:39 +0000] \"HEAD /v2/bench-a/img-0/manifests/dev HTTP/1.1\" 200 0 \"\" \"freshet\"",
            "127.0.0.1 - - [30/Nov/2026:17:10:39 +0000] \"HEAD /v2/bench-a/img-1/manifests/dev HTTP/1.1\" 200 0 \"\" \"freshet\"",
            "127.0.0.1 - - [30/Nov/2026:17:10:40 +0000] \"GET /v2/bench-a/img-1/manifests/sha256:ab HTTP/1.1\" 200 9 \"\" \"freshet\"",
            "127.0.0.1 - - [30/Nov/2026:17:10:40 +0000] \"HEAD /v2/bench-b/img-1/manifests/dev HTTP/1.1\" 200 0 \"\" \"other\"",
            "127.0.0.1 - - [30/Nov/2026:17:10:40 +0000] \"GET /v2/ HTTP/1.1\" 200 2 \"\" \"curl\"");

    var counts = RegistryLog.count(lines, "bench-a/");

    assertThat(counts.byMethod()).isEqualTo(Map.of("HEAD", 2L, "GET", 1L));
    assertThat(counts.manifestRepositories())
        .containsExactlyInAnyOrder("bench-a/img-0", "bench-a/img-1");
    assertThat(counts.total()).isEqualTo(3);
  }

  @Test
  void annotationTemplateWithTheIntervalFilledIn() {
    assertThat(
            Fleet.annotations(
                "keel.sh/policy=force, keel.sh/pollSchedule=@every {interval}",
                Duration.ofSeconds(30)))
        .containsExactly(
            Map.entry("keel.sh/policy", "force"), Map.entry("keel.sh/pollSchedule", "@every 30s"));
  }

  @Test
  void resultsJsonCarriesFiguresBaselinesRatiosAndVerdicts() throws Exception {
    var result =
        ScenarioResult.of("steady", "freshet")
            .set("workloads", 1000)
            .add(
                Figure.against(
                        "registry requests per cycle", 100, "requests", 100, "distinct images")
                    .goal("= distinct images", true))
            .add(Figure.of("RSS", 200.5, "MiB"));

    var json =
        ResultsFile.read(ResultsFile.json(Map.of("scale", "small"), "steady", List.of(result)));

    assertThat(json.at("/scenario").asText()).isEqualTo("steady");
    assertThat(json.at("/run/scale").asText()).isEqualTo("small");
    var figure = json.at("/results/0/figures/0");
    assertThat(figure.at("/value").asDouble()).isEqualTo(100.0);
    assertThat(figure.at("/ratio").asDouble()).isEqualTo(1.0);
    assertThat(figure.at("/met").asBoolean()).isTrue();
    assertThat(json.at("/results/0/figures/1/baseline").asText()).isEqualTo("NaN");
    assertThat(json.at("/results/0/setup/workloads").asInt()).isEqualTo(1000);
    assertThat(Table.markdown(List.of(result)))
        .contains("| steady | freshet 1000w | registry requests per cycle | 100 requests |")
        .contains("| 1.00 | met: = distinct images |");
  }
}
