package dev.freshet.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's ServiceAccount may do exactly what deploy/permissions.txt lists: install.yaml's
 * RBAC is applied as checked in, and the API server is asked, as that ServiceAccount, what it may
 * do in an ordinary namespace and in freshet-system (what {@code kubectl auth can-i --list
 * --as=system:serviceaccount:freshet-system:freshet -n NAMESPACE} prints). Any change to the RBAC,
 * or to what Kubernetes grants every ServiceAccount, fails here with the rows added and removed, so
 * a reviewer sees a change of privilege as a diff of that file.
 */
@WithTestbed
class PermissionsIT {

  private static final Path CHECKED_IN = Path.of("..", "deploy", "permissions.txt");
  private static final Path ACTUAL = Path.of("target", "permissions.txt");
  private static final String USER =
      "system:serviceaccount:" + InstallManifest.NAMESPACE + ":" + InstallManifest.SERVICE_ACCOUNT;
  private static final String EVERYWHERE = "## In every namespace";
  private static final String HOME =
      "## In " + InstallManifest.NAMESPACE + ", in addition (its own namespace)";

  @Test
  void theServiceAccountMayDoExactlyWhatTheCheckedInListSays(
      KubernetesClient admin, TestNamespace ns, Testbed testbed) throws IOException {
    InstallManifest.applyIdentity(admin);
    var asOperator = new ConfigBuilder(testbed.config()).withImpersonateUsername(USER).build();
    Permissions everywhere;
    Permissions home;
    try (KubernetesClient operator = new KubernetesClientBuilder().withConfig(asOperator).build()) {
      everywhere = Permissions.in(operator, ns.name());
      home = Permissions.in(operator, InstallManifest.NAMESPACE).without(everywhere);
    }
    Map<String, List<String>> actual = new LinkedHashMap<>();
    actual.put(EVERYWHERE, everywhere.table());
    actual.put(HOME, home.table());
    Files.write(ACTUAL, render(actual));
    System.out.printf(
        "permissions of %s: %d rows in every namespace, %d more in %s%n",
        USER, everywhere.rows().size(), home.rows().size(), InstallManifest.NAMESPACE);

    Map<String, List<String>> expected = sections(Files.readAllLines(CHECKED_IN));
    List<String> diff = diff(expected, actual);
    assertThat(diff)
        .as(
            "The ServiceAccount's effective permissions differ from deploy/permissions.txt"
                + " (- listed there but no longer granted, + granted but not listed):%n%s%n%nIf"
                + " the change is meant, review it and take the new list:%n  cp operator/%s"
                + " deploy/permissions.txt",
            String.join("\n", diff), ACTUAL)
        .isEmpty();

    // Beyond the list: the invariants a reviewer should never have to spot in a diff.
    for (Permissions.Row row : concat(everywhere, home)) {
      assertThat(row.verbs()).as("%s", row).doesNotContain("*").doesNotContain("escalate");
      assertThat(row.resource()).as("%s", row).doesNotContain("*");
    }
    assertThat(everywhere.rows())
        .as("Secrets in a workload's namespace are read by name only: never listed or watched")
        .filteredOn(r -> r.resource().equals("secrets"))
        .singleElement()
        .isEqualTo(new Permissions.Row("secrets", "", "[]", "[get]"));
    assertThat(home.rows())
        .as("in its own namespace the operator watches its two Secrets by name, no others")
        .filteredOn(r -> r.resource().equals("secrets"))
        .extracting(Permissions.Row::names)
        .containsExactly("[freshet-notifications freshet-webhook]");
  }

  private static List<Permissions.Row> concat(Permissions a, Permissions b) {
    List<Permissions.Row> rows = new ArrayList<>(a.rows());
    rows.addAll(b.rows());
    return rows;
  }

  private static List<String> render(Map<String, List<String>> sections) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "# What the freshet ServiceAccount may do under deploy/install.yaml's RBAC, as the API");
    lines.add("# server answers a SelfSubjectRulesReview (kubectl auth can-i --list");
    lines.add("# --as=" + USER + " -n NAMESPACE shows the same rows,");
    lines.add("# unsorted). PermissionsIT checks it: change it in the same commit as the RBAC.");
    sections.forEach(
        (title, table) -> {
          lines.add("");
          lines.add(title);
          lines.addAll(table);
        });
    return lines;
  }

  /** The file's tables by section title; comments and blank lines dropped. */
  private static Map<String, List<String>> sections(List<String> lines) {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : lines) {
      if (line.startsWith("## ")) {
        current = new ArrayList<>();
        sections.put(line, current);
      } else if (current != null && !line.isBlank() && !line.startsWith("#")) {
        current.add(line);
      }
    }
    return sections;
  }

  /**
   * The rows removed and added, section by section. Rows are a set (sorted, each once), so their
   * difference is the whole diff; it is compared with the columns' padding collapsed, so a wider
   * cell elsewhere does not show every row as changed.
   */
  private static List<String> diff(
      Map<String, List<String>> expected, Map<String, List<String>> actual) {
    List<String> diff = new ArrayList<>();
    var titles = new java.util.LinkedHashSet<>(expected.keySet());
    titles.addAll(actual.keySet());
    for (String title : titles) {
      List<String> was = normalized(expected.getOrDefault(title, List.of()));
      List<String> is = normalized(actual.getOrDefault(title, List.of()));
      List<String> changes = new ArrayList<>();
      was.stream().filter(r -> !is.contains(r)).forEach(r -> changes.add("- " + r));
      is.stream().filter(r -> !was.contains(r)).forEach(r -> changes.add("+ " + r));
      if (!changes.isEmpty()) {
        diff.add(title);
        diff.addAll(changes);
      }
    }
    return diff;
  }

  private static List<String> normalized(List<String> table) {
    return table.stream().map(l -> l.trim().replaceAll("\\s{2,}", "   ")).toList();
  }
}
