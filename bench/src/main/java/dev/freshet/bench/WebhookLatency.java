package dev.freshet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Webhook to rollout at scale, Freshet only: N Apps over M images, poll interval one hour, so only
 * webhooks roll them. Below saturation, every image gets a new digest and one signed notification
 * per image goes out paced to {@code rolloutsPerSecond} App rollouts a second; each App's latency
 * runs from its image's send (before the receipt: an upper bound) until the watch saw its
 * Deployment's template patched. At saturation, all notifications at once; rollouts per second
 * until every App rolled. Baseline for both: the same template changes sent by the bench with
 * server-side apply at the same pace and then all at once, operator stopped.
 */
final class WebhookLatency {
  private WebhookLatency() {}

  static ScenarioResult run(
      BenchTestbed testbed,
      OperatorUnderTest operator,
      int apps,
      int images,
      double rolloutsPerSecond,
      Path logs)
      throws Exception {
    try (var run =
        new FleetRun(testbed, operator, "hooks", true, apps, images, Duration.ofHours(1))) {
      var rollouts = new Rollouts(testbed, run.fleet, run.templates);
      rollouts.createWebhookSecret();
      run.startOperator(logs.resolve(operator.name() + "-webhook.log"));
      double notificationsPerSecond = rolloutsPerSecond * images / apps;
      // Below saturation means on a quiet control plane, as the direct baseline runs: the first
      // cycle created every App's Deployment, and its status writes and the controllers' answers
      // must land before the paced notifications start.
      Duration settle = Duration.ofMinutes(Math.max(1, Math.min(3, apps / 300)));
      testbed.awaitQuietWrites(settle);

      run.fleet.images().pushAll(testbed);
      long[] sent = rollouts.notifyAll(run.receiverPort, notificationsPerSecond);
      rollouts.awaitAllCurrent("every App rolled by paced webhooks");
      var paced = new Percentiles(rollouts.latenciesMs(sent));
      testbed.awaitQuietWrites(settle);

      ApiWrites before = run.process().freshetWrites();
      run.fleet.images().pushAll(testbed);
      long start = System.nanoTime();
      rollouts.notifyAll(run.receiverPort, 0);
      rollouts.awaitAllCurrent("every App rolled by a burst of webhooks");
      double saturated = apps / ((System.nanoTime() - start) / 1e9);
      // Each App rolled once in this round: its writes, to the record of the completion, are one
      // rollout's.
      run.awaitRolloutsDone(apps, Duration.ofMinutes(Math.max(2, Math.min(10, apps / 100))));
      run.awaitFreshetQuiet(Duration.ofMinutes(2));
      ApiWrites saturationRound = run.process().freshetWrites().since(before);
      run.stopOperator();
      testbed.awaitQuietWrites(settle);

      run.fleet.images().pushAll(testbed);
      long[] patched = rollouts.patchDirectly(notificationsPerSecond);
      rollouts.awaitAllCurrent("every App's Deployment patched directly, paced");
      var direct = new Percentiles(rollouts.latenciesMs(patched));
      testbed.awaitQuietWrites(settle);

      run.fleet.images().pushAll(testbed);
      start = System.nanoTime();
      rollouts.patchDirectly(0);
      rollouts.awaitAllCurrent("every App's Deployment patched directly, at once");
      double directRate = apps / ((System.nanoTime() - start) / 1e9);
      Bench.log(
          "webhook %d Apps: paced p50 %.0f ms p99 %.0f ms (direct %.0f / %.0f), saturated %.0f rollouts/s (direct %.0f); Freshet's writes in the saturation round %s",
          apps,
          paced.at(50),
          paced.at(99),
          direct.at(50),
          direct.at(99),
          saturated,
          directRate,
          saturationRound.byVerbAndResource());

      var result =
          ScenarioResult.of("webhook", operator.name())
              .set("workloads", apps)
              .set("images", images)
              .set("kind", "App, replicas 0")
              .set("pacedRolloutsPerSecond", rolloutsPerSecond)
              .set("failedNotifications", rollouts.failedNotifications.get())
              .add(
                  Figure.against(
                      "send to patch p50, paced",
                      paced.at(50),
                      "ms",
                      direct.at(50),
                      "direct apply, same pace, p50"))
              .add(
                  Figure.against(
                          "send to patch p99, paced",
                          paced.at(99),
                          "ms",
                          direct.at(99),
                          "direct apply, same pace, p99")
                      .goal("p99 < 100 ms", paced.at(99) < 100))
              .add(
                  Figure.against(
                          "rollouts per second at saturation",
                          saturated,
                          "rollouts/s",
                          directRate,
                          "direct apply, all at once")
                      .goal(">= 0.8x direct apply", saturated >= 0.8 * directRate));
      result.set("freshetWritesInSaturationRound", saturationRound.byVerbAndResource());
      saturationRound.perRollout(apps).forEach(result::add);
      result.series().put("paced latency ms", List.of(boxed(paced.sorted())));
      result.series().put("direct latency ms", List.of(boxed(direct.sorted())));
      return result;
    }
  }

  private static Double[] boxed(double[] values) {
    return java.util.Arrays.stream(values).boxed().toArray(Double[]::new);
  }
}
