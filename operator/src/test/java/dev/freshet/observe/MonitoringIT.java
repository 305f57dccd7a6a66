package dev.freshet.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.freshet.app.api.App;
import dev.freshet.it.AppCrd;
import dev.freshet.it.Apps;
import dev.freshet.it.OperatorProcess;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every metric the alerting rules (deploy/monitoring/freshet-rules.yaml) and the Grafana dashboard
 * (deploy/monitoring/freshet-dashboard.json) query is one a running operator exposes on /metrics,
 * once it has reconciled an App and asked a registry about its image.
 */
@WithTestbed
class MonitoringIT {

  private static final Path MONITORING = Path.of("..", "deploy", "monitoring");
  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "offset",
          "bool",
          "le",
          "inf",
          "nan");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyMetricTheRulesAndTheDashboardQueryIsExposed(
      KubernetesClient client, TestNamespace ns, Testbed testbed) throws Exception {
    List<String> queries = new ArrayList<>(ruleQueries());
    queries.addAll(dashboardQueries());
    Set<String> queried = new TreeSet<>();
    queries.forEach(q -> queried.addAll(metricNames(q)));
    assertThat(queried)
        .as("the names read from the queries")
        .contains(
            "operator_sdk_reconciliations_started_total",
            "freshet_registry_requests_seconds_count",
            "operator_sdk_controllers_execution_reconcile_seconds_bucket");

    AppCrd.install(testbed.client());
    PushedImage image = testbed.registry().pusher().push("monitoring/" + ns.name(), "dev");
    Path log = Path.of("target", "operator-monitoring-" + ns.name() + ".log");
    try (var operator =
        OperatorProcess.start(
            log,
            List.of(
                "--kubeconfig=" + testbed.kubeconfig(),
                "--namespace=" + ns.name(),
                "--no-leader-election",
                "--receiver-addr=127.0.0.1:" + freePort(),
                "--webhook-namespace=" + ns.name()))) {
      await().atMost(Duration.ofSeconds(120)).until(operator::isReady);
      App app = Apps.app("web");
      app.getSpec().setImage(image.reference());
      client.resource(app).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                App now = client.resources(App.class).withName("web").get();
                assertThat(now.getStatus()).isNotNull();
                assertThat(now.getStatus().getImage()).isNotNull();
                assertThat(now.getStatus().getImage().getRunningDigest()).isEqualTo(image.digest());
              });

      Set<String> exposed = exposedNames(operator.httpPort());
      assertThat(queried).allSatisfy(name -> assertThat(exposed).as(name).contains(name));
      // When each image was last checked is told per image, since workloads no longer record it.
      assertThat(exposed).contains("freshet_image_last_checked_timestamp_seconds");
      // Deploying the App wrote its Deployment and its status, and those writes were counted.
      assertThat(metricsText(operator.httpPort()))
          .containsPattern(
              "freshet_kubernetes_writes_total\\{resource=\"apps/status\",verb=\"PATCH\",?} [1-9]")
          .containsPattern(
              "freshet_kubernetes_writes_total\\{resource=\"deployments\",verb=\"(PATCH|POST)\",?} [1-9]");
    }
  }

  /** The expressions of every rule, as a rules file holds them. */
  private static List<String> ruleQueries() throws IOException {
    JsonNode rules =
        new ObjectMapper(new YAMLFactory())
            .readTree(MONITORING.resolve("freshet-rules.yaml").toFile());
    var queries = new ArrayList<String>();
    rules
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> queries.add(r.path("expr").asText())));
    assertThat(queries).isNotEmpty();
    return queries;
  }

  /** The expressions of every panel's targets. */
  private static List<String> dashboardQueries() throws IOException {
    JsonNode dashboard =
        new ObjectMapper().readTree(MONITORING.resolve("freshet-dashboard.json").toFile());
    var queries = new ArrayList<String>();
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
    assertThat(queries).isNotEmpty();
    return queries;
  }

  /**
   * The metric names in a PromQL expression: its identifiers, once label matchers, grouping labels,
   * ranges, strings and numbers are gone, that are neither functions (followed by a parenthesis)
   * nor PromQL's own words.
   */
  static Set<String> metricNames(String query) {
    String bare =
        query
            .replaceAll("\"[^\"]*\"", "")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^]]*]", "")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
    var names = new TreeSet<String>();
    var matcher = IDENTIFIER.matcher(bare);
    while (matcher.find()) {
      String word = matcher.group();
      boolean function = bare.substring(matcher.end()).stripLeading().startsWith("(");
      if (!function && !PROMQL_WORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }

  /** The sample names of one scrape of /metrics. */
  private String metricsText(int port) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private Set<String> exposedNames(int port) throws Exception {
    return metricsText(port)
        .lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
