package dev.freshet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiWritesTest {
  private static final String BEFORE =
      """
      # HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.
      # TYPE apiserver_request_total counter
      apiserver_request_total{code="200",component="apiserver",dry_run="",group="apps",resource="deployments",scope="resource",subresource="",verb="PATCH",version="v1"} 10
      apiserver_request_total{code="409",component="apiserver",dry_run="",group="apps",resource="deployments",scope="resource",subresource="",verb="PATCH",version="v1"} 2
      apiserver_request_total{code="200",component="apiserver",dry_run="",group="apps",resource="deployments",scope="resource",subresource="status",verb="PUT",version="v1"} 4
      apiserver_request_total{code="200",component="apiserver",dry_run="",group="apps",resource="deployments",scope="namespace",subresource="",verb="LIST",version="v1"} 99
      apiserver_request_total{code="200",component="apiserver",dry_run="",group="coordination.k8s.io",resource="leases",scope="resource",subresource="",verb="PUT",version="v1"} 500
      apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="nodes",scope="resource",subresource="status",verb="PATCH",version="v1"} 40
      apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="nodes",scope="resource",subresource="",verb="POST",version="v1"} 20
      apiserver_request_duration_seconds_bucket{verb="PATCH",resource="deployments",le="0.1"} 7
      """;

  @Test
  void sumsWritesByVerbAndResourceAcrossCodesLeavingOutReadsAndHeartbeats() {
    var writes = ApiWrites.parse(BEFORE);

    assertThat(writes.byVerbAndResource())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "PATCH deployments", 12L, "PUT deployments/status", 4L, "POST nodes", 20L));
    assertThat(writes.total()).isEqualTo(36);
  }

  @Test
  void aWindowCountsOnlyWhatGrewAndNewSeries() {
    String after =
        BEFORE.replace("verb=\"PATCH\",version=\"v1\"} 10", "verb=\"PATCH\",version=\"v1\"} 15")
            + "apiserver_request_total{code=\"201\",component=\"apiserver\",dry_run=\"\",group=\"\","
            + "resource=\"events\",scope=\"resource\",subresource=\"\",verb=\"POST\",version=\"v1\"} 3\n";

    var window = ApiWrites.parse(after).since(ApiWrites.parse(BEFORE));

    assertThat(window.byVerbAndResource())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of("PATCH deployments", 5L, "POST events", 3L));
  }

  @Test
  void freshetsOwnWritesAreReadFromItsCounterLeavingOutItsLeaseRenewals() {
    String freshet =
        """
        # TYPE freshet_kubernetes_writes_total counter
        freshet_kubernetes_writes_total{resource="deployments",verb="PATCH",} 7.0
        freshet_kubernetes_writes_total{resource="apps/status",verb="PATCH",} 3.0
        freshet_kubernetes_writes_total{resource="leases",verb="PUT",} 40.0
        freshet_registry_retries_total{registry="r"} 2.0
        """;

    assertThat(ApiWrites.parseFreshet(freshet).byVerbAndResource())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of("PATCH deployments", 7L, "PATCH apps/status", 3L));
  }

  @Test
  void freshetsWritesRefusedWithAConflictAreNotCountedAsWrittenButApart() {
    String before =
        """
        freshet_kubernetes_writes_total{resource="deployments",verb="PATCH",} 7.0
        freshet_kubernetes_write_conflicts_total{resource="deployments",verb="PATCH",} 1.0
        """;
    String after =
        """
        freshet_kubernetes_writes_total{resource="deployments",verb="PATCH",} 10.0
        freshet_kubernetes_write_conflicts_total{resource="deployments",verb="PATCH",} 2.0
        """;

    var round = ApiWrites.parseFreshet(after).since(ApiWrites.parseFreshet(before));

    assertThat(ApiWrites.parseFreshet(before).byVerbAndResource())
        .containsExactly(java.util.Map.entry("PATCH deployments", 6L));
    assertThat(round.byVerbAndResource())
        .containsExactly(java.util.Map.entry("PATCH deployments", 2L));
    assertThat(round.perRollout(1)).extracting(Figure::value).containsExactly(2.0, 0.0, 1.0);
  }

  @Test
  void aRolloutsCostCountsEventsApartFromTheWritesThatMakeIt() {
    var round =
        new ApiWrites(
            java.util.Map.of(
                "PATCH deployments",
                300L,
                "PATCH apps/status",
                100L,
                "POST events",
                250L,
                "PATCH events",
                50L));

    var figures = round.perRollout(100);

    assertThat(figures).extracting(Figure::value).containsExactly(4.0, 3.0, 0.0);
    assertThat(figures.get(0).met()).isFalse();
    assertThat(new ApiWrites(java.util.Map.of("PATCH deployments", 200L)).perRollout(100))
        .first()
        .extracting(Figure::met)
        .isEqualTo(true);
  }
}
