package dev.freshet.install;

import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a subject may do in one namespace, as the API server answers a SelfSubjectRulesReview: the
 * rows {@code kubectl auth can-i --list} prints (Resources, Non-Resource URLs, Resource Names,
 * Verbs), but one row per resource, URL and name list, the verbs of equal rows merged and every
 * column sorted. kubectl prints rows in the order the authorizer found its bindings and repeats a
 * rule two roles grant; a checked-in list compared line by line needs neither.
 */
record Permissions(List<Row> rows) {

  /**
   * One thing allowed: a resource ({@code group} appended as kubectl does) or a non-resource URL.
   */
  record Row(String resource, String url, String names, String verbs) {}

  /** The rules the API server reports for the client's user in {@code namespace}. */
  static Permissions in(KubernetesClient as, String namespace) {
    SelfSubjectRulesReview review =
        as.authorization()
            .v1()
            .selfSubjectRulesReview()
            .create(
                new SelfSubjectRulesReviewBuilder()
                    .withNewSpec()
                    .withNamespace(namespace)
                    .endSpec()
                    .build());
    SubjectRulesReviewStatus status = review.getStatus();
    if (Boolean.TRUE.equals(status.getIncomplete())) {
      throw new IllegalStateException(
          "the API server could not list every rule: " + status.getEvaluationError());
    }
    // Keyed by everything but the verbs, so rules two roles grant on one resource merge.
    Map<List<String>, SortedSet<String>> verbs = new TreeMap<>(Permissions::compareKeys);
    for (ResourceRule rule : status.getResourceRules()) {
      String names =
          rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? "[]"
              : "[" + String.join(" ", new TreeSet<>(rule.getResourceNames())) + "]";
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          String name = group.isEmpty() ? resource : resourceWithGroup(resource, group);
          verbs
              .computeIfAbsent(List.of(name, "", names), k -> new TreeSet<>())
              .addAll(rule.getVerbs());
        }
      }
    }
    for (NonResourceRule rule : status.getNonResourceRules()) {
      for (String url : rule.getNonResourceURLs()) {
        verbs.computeIfAbsent(List.of("", url, "[]"), k -> new TreeSet<>()).addAll(rule.getVerbs());
      }
    }
    List<Row> rows = new ArrayList<>();
    verbs.forEach(
        (key, v) ->
            rows.add(new Row(key.get(0), key.get(1), key.get(2), "[" + String.join(" ", v) + "]")));
    return new Permissions(rows);
  }

  /** The rows of this listing that {@code other} lacks, in this listing's order. */
  Permissions without(Permissions other) {
    return new Permissions(rows.stream().filter(r -> !other.rows.contains(r)).toList());
  }

  /** The rows as kubectl's table: a header, then columns padded to their widest cell. */
  List<String> table() {
    String[] header = {"Resources", "Non-Resource URLs", "Resource Names", "Verbs"};
    int[] widths = new int[3];
    for (int i = 0; i < 3; i++) {
      widths[i] = header[i].length();
    }
    for (Row row : rows) {
      widths[0] = Math.max(widths[0], row.resource().length());
      widths[1] = Math.max(widths[1], urlCell(row).length());
      widths[2] = Math.max(widths[2], row.names().length());
    }
    List<String> lines = new ArrayList<>();
    lines.add(line(widths, header[0], header[1], header[2], header[3]));
    for (Row row : rows) {
      lines.add(line(widths, row.resource(), urlCell(row), row.names(), row.verbs()));
    }
    return lines;
  }

  private static String urlCell(Row row) {
    return row.url().isEmpty() ? "[]" : "[" + row.url() + "]";
  }

  private static String line(int[] widths, String a, String b, String c, String d) {
    return String.format(
        "%-" + widths[0] + "s   %-" + widths[1] + "s   %-" + widths[2] + "s   %s", a, b, c, d);
  }

  /**
   * kubectl's spelling: {@code deployments.apps}, and the subresource last: {@code
   * apps.freshet.dev/status}.
   */
  private static String resourceWithGroup(String resource, String group) {
    int slash = resource.indexOf('/');
    return slash < 0
        ? resource + "." + group
        : resource.substring(0, slash) + "." + group + resource.substring(slash);
  }

  /** Resources before non-resource URLs (whose resource cell is empty), then by each cell. */
  private static int compareKeys(List<String> a, List<String> b) {
    int kind = Boolean.compare(a.get(0).isEmpty(), b.get(0).isEmpty());
    if (kind != 0) {
      return kind;
    }
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
