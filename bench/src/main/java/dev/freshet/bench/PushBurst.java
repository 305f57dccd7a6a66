package dev.freshet.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Push burst: every image gets a new digest at once; timed from the end of the pushes until every
 * workload's template names its image's new digest — through the operator's polling, then (Freshet
 * only) through its webhook, one notification per image sent at once. Baseline: the same template
 * changes sent by the bench with server-side apply, operator stopped.
 */
final class PushBurst {
  private PushBurst() {}

  static ScenarioResult run(
      BenchTestbed testbed,
      OperatorUnderTest operator,
      int workloads,
      int images,
      Duration interval,
      Path logs)
      throws Exception {
    try (var run = new FleetRun(testbed, operator, "burst", false, workloads, images, interval)) {
      var rollouts = new Rollouts(testbed, run.fleet, run.templates);
      rollouts.createWebhookSecret();
      run.startOperator(logs.resolve(operator.name() + "-burst.log"));

      run.fleet.images().pushAll(testbed);
      double polling = rollouts.awaitAllCurrent("every workload rolled by polling");
      double webhooks = Double.NaN;
      ApiWrites webhookRound = null;
      if (operator.isFreshet()) {
        // The webhook round's writes are one rollout's per workload, from the pin to the record of
        // its completion: counted from when the polling round's rollouts are finished and recorded
        // until this round's are. The controller-manager finishes about a thousand rollouts in
        // minutes here, so each wait is bounded and the count says what was left.
        Duration rolloutsLimit = Duration.ofMinutes(Math.max(2, Math.min(10, workloads / 100)));
        run.awaitRolloutsDone(workloads, rolloutsLimit);
        run.awaitFreshetQuiet(Duration.ofMinutes(2));
        ApiWrites before = run.process().freshetWrites();
        run.fleet.images().pushAll(testbed);
        long start = System.nanoTime();
        rollouts.notifyAll(run.receiverPort, 0);
        rollouts.awaitAllCurrent("every workload rolled by webhooks");
        webhooks = (System.nanoTime() - start) / 1e9;
        run.awaitRolloutsDone(workloads, rolloutsLimit);
        run.awaitFreshetQuiet(Duration.ofMinutes(2));
        webhookRound = run.process().freshetWrites().since(before);
      }
      run.stopOperator();

      run.fleet.images().pushAll(testbed);
      long start = System.nanoTime();
      rollouts.patchDirectly(0);
      rollouts.awaitAllCurrent("every workload patched directly");
      double direct = (System.nanoTime() - start) / 1e9;
      Bench.log(
          "burst %s %d/%d: polling %.1f s, webhooks %.1f s, direct apply %.1f s; Freshet's writes"
              + " in the webhook round %s",
          operator.name(),
          workloads,
          images,
          polling,
          webhooks,
          direct,
          webhookRound == null ? "-" : webhookRound.byVerbAndResource());

      var result =
          ScenarioResult.of("burst", operator.name())
              .set("workloads", workloads)
              .set("images", images)
              .set("intervalSeconds", interval.toSeconds())
              .set("failedNotifications", rollouts.failedNotifications.get())
              .add(
                  Figure.against(
                      "all rolled via polling (after the pushes)",
                      polling,
                      "s",
                      direct,
                      "bench's own server-side apply of the same patches"))
              .add(Figure.of("poll interval", interval.toSeconds(), "s"));
      if (operator.isFreshet()) {
        result.add(
            Figure.against(
                "all rolled via webhooks (from the first send)",
                webhooks,
                "s",
                direct,
                "bench's own server-side apply of the same patches"));
        result.set("freshetWritesInWebhookRound", webhookRound.byVerbAndResource());
        webhookRound.perRollout(workloads).forEach(result::add);
      }
      result.add(Figure.of("direct apply rollouts per second", workloads / direct, "rollouts/s"));
      return result;
    }
  }
}
