package dev.freshet.app;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppStatus;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.update.RolloutState;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the App's status says for each state of its workload. */
class AppStatusCalculatorTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-25T10:05:00Z");

  private static App web() {
    App app = app("web");
    app.getMetadata().setGeneration(3L);
    return app;
  }

  private static RolloutState ready() {
    return new RolloutState(2, 2, 2, 2, true, true, null);
  }

  @Test
  void readyWorkloadMakesTheAppReady() {
    AppStatus status = compute(web(), ready(), List.of(), null, T0);

    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Progressing").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
    assertThat(status.getReady()).isEqualTo("2/2");
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void rollingWorkloadIsProgressing() {
    var rolling = new RolloutState(2, 3, 1, 1, true, false, null);

    AppStatus status = compute(web(), rolling, List.of(), null, T0);

    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Progressing").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Progressing").getMessage())
        .isEqualTo("1/2 replicas ready, 1 up to date");
  }

  @Test
  void workloadNotYetSeenByItsControllerIsNotReady() {
    var stale = new RolloutState(2, 2, 2, 2, false, true, null);

    AppStatus status = compute(web(), stale, List.of(), null, T0);

    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void blockingObjectMakesTheAppDegradedWithItsMessage() {
    AppStatus status = compute(web(), ready(), List.of("Service a/web is in the way."), null, T0);

    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Degraded").getReason()).isEqualTo("Blocked");
    assertThat(condition(status, "Degraded").getMessage())
        .isEqualTo("Service a/web is in the way.");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void stalledRolloutIsDegraded() {
    var stalled = new RolloutState(2, 2, 1, 2, true, true, "ReplicaSet web-1 has timed out");

    AppStatus status = compute(web(), stalled, List.of(), null, T0);

    assertThat(condition(status, "Degraded").getReason()).isEqualTo("RolloutStalled");
  }

  @Test
  void unchangedStateYieldsAnIdenticalStatusSoNothingIsWritten() {
    App app = web();
    app.setStatus(compute(app, ready(), List.of(), null, T0));

    AppStatus again = compute(app, ready(), List.of(), null, T1);

    assertThat(StatusComparison.equal(app.getStatus(), again)).isTrue();
  }

  @Test
  void transitionTimeMovesOnlyWhenAConditionFlips() {
    App app = web();
    app.setStatus(
        compute(app, new RolloutState(2, 2, 0, 2, true, true, null), List.of(), null, T0));

    AppStatus later = compute(app, ready(), List.of(), null, T1);

    assertThat(condition(later, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
    assertThat(condition(later, "Degraded").getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(StatusComparison.equal(app.getStatus(), later)).isFalse();
  }

  @Test
  void aFailedReconcileKeepsTheWholeImageRecord() {
    App app = web();
    var image = new ImageStatus();
    image.setResolvedFor("registry.example.com/demo/web:1.0.0");
    image.setTag("1.0.0");
    image.setPinnedTag("1.0.0");
    image.setPinnedDigest("sha256:" + "a".repeat(64));
    image.setRunningTag("1.0.0");
    image.setRunningDigest("sha256:" + "a".repeat(64));
    image.setLatestDigest("sha256:" + "b".repeat(64));
    image.setQuarantinedDigests(List.of("sha256:" + "b".repeat(64)));
    image.setCheckedAt(T0.toString());
    image.setUpdatedAt(T0.toString());
    var before = new AppStatus();
    before.setImage(image);
    app.setStatus(before);

    AppStatus failed =
        AppStatusCalculator.compute(
            app,
            ready(),
            List.of(),
            new AppStatusCalculator.Failure(
                "ReconcileError", "the API server refused a change (422): replicas too high"),
            AppStatusCalculator.UpdatePart.unchanged(app.getStatus()),
            T1);

    assertThat(failed.getImage()).usingRecursiveComparison().isEqualTo(image);
    assertThat(condition(failed, "Degraded").getReason()).isEqualTo("ReconcileError");
    assertThat(condition(failed, "Ready").getReason()).isEqualTo("Ready");
  }

  private static AppStatus compute(
      App app,
      RolloutState workload,
      List<String> blockers,
      AppStatusCalculator.Failure error,
      Instant now) {
    return AppStatusCalculator.compute(
        app,
        workload,
        blockers,
        error,
        AppStatusCalculator.UpdatePart.unchanged(app.getStatus()),
        now);
  }

  private static Condition condition(AppStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
