package dev.freshet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A strict structural check of deploy/monitoring/freshet-rules.yaml, in place of {@code promtool
 * check rules}: promtool comes only with the Prometheus server's Go module, whose build pulls every
 * service-discovery SDK and would take the better part of an hour on two cores, on top of the
 * testbed's. What promtool checks beyond PromQL parsing is checked here: the file's shape, the
 * fields a rule may have, durations, unique alert names, balanced expressions, and that every
 * {@code $labels.x} an annotation uses is a label the expression keeps. That every metric named
 * exists is MonitoringIT's to check, against a running operator.
 */
class AlertRulesTest {
  private static final Path RULES = Path.of("..", "deploy", "monitoring", "freshet-rules.yaml");
  private static final Set<String> RULE_FIELDS =
      Set.of("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
  private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
  private static final Pattern LABEL_USE = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");
  private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");

  @Test
  void everyRuleHasTheShapePrometheusLoads() throws Exception {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
    assertThat(fieldNames(root)).containsExactly("groups");
    Set<String> alerts = new HashSet<>();
    for (JsonNode group : root.get("groups")) {
      assertThat(group.get("name").asText()).isNotBlank();
      assertThat(group.get("rules").isArray()).isTrue();
      for (JsonNode rule : group.get("rules")) {
        String alert = rule.path("alert").asText();
        assertThat(alert).as("alert name").matches("Freshet[A-Z][A-Za-z]+");
        assertThat(alerts.add(alert)).as("%s is unique", alert).isTrue();
        assertThat(RULE_FIELDS).as(alert).containsAll(fieldNames(rule));
        String expr = rule.path("expr").asText();
        assertThat(expr).as(alert).isNotBlank();
        assertThat(balanced(expr)).as("%s: balanced brackets in %s", alert, expr).isTrue();
        if (rule.has("for")) {
          assertThat(rule.get("for").asText()).as(alert).matches(DURATION);
        }
        assertThat(rule.path("labels").path("severity").asText())
            .as(alert)
            .isIn("critical", "warning", "info");
        assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
        assertThat(rule.path("annotations").path("description").asText()).as(alert).isNotBlank();
        Set<String> kept = keptLabels(expr);
        for (JsonNode annotation : rule.path("annotations")) {
          Matcher use = LABEL_USE.matcher(annotation.asText());
          while (use.find()) {
            assertThat(kept)
                .as("%s: $labels.%s is kept by %s", alert, use.group(1), expr)
                .contains(use.group(1));
          }
        }
      }
    }
    assertThat(alerts)
        .contains(
            "FreshetDown",
            "FreshetNoLeader",
            "FreshetRegistryErrors",
            "FreshetRolloutRolledBack",
            "FreshetRolloutStuck");
  }

  /** The labels an aggregation's {@code by (…)} keeps; an expression without one keeps none. */
  private static Set<String> keptLabels(String expr) {
    Set<String> kept = new HashSet<>();
    Matcher by = BY.matcher(expr);
    while (by.find()) {
      for (String label : by.group(1).split(",")) {
        kept.add(label.trim());
      }
    }
    return kept;
  }

  private static boolean balanced(String expr) {
    int round = 0;
    int square = 0;
    int curly = 0;
    for (char c : expr.toCharArray()) {
      switch (c) {
        case '(' -> round++;
        case ')' -> round--;
        case '[' -> square++;
        case ']' -> square--;
        case '{' -> curly++;
        case '}' -> curly--;
        default -> {}
      }
      if (round < 0 || square < 0 || curly < 0) {
        return false;
      }
    }
    return round == 0 && square == 0 && curly == 0;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
