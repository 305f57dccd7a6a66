package dev.freshet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A fleet (tracked Deployments or Apps) on the testbed with an operator watching it, through its
 * first completed poll cycle: M images pushed, N tracked Deployments created (both timed), then the
 * operator started and timed to the end of its first cycle — every image asked for at the registry
 * and, for an operator that pins digests, every workload pinned. Closing it stops the operator and
 * deletes the namespace.
 */
final class FleetRun implements AutoCloseable {
  final BenchTestbed testbed;
  final OperatorUnderTest operator;
  final Fleet fleet;
  final TemplateWatch templates;
  final RegistryLog registryLog;
  final int receiverPort = BenchTestbed.freePort();
  final double pushSeconds;
  final double createSeconds;
  private OperatorProcess process;
  double firstCycleSeconds = Double.NaN;
  ProcessUsage afterFirstCycle;

  FleetRun(
      BenchTestbed testbed,
      OperatorUnderTest operator,
      String kind,
      boolean asApps,
      int workloads,
      int images,
      Duration interval)
      throws Exception {
    this.testbed = testbed;
    this.operator = operator;
    String run = kind + "-" + UUID.randomUUID().toString().substring(0, 6);
    var benchImages = new BenchImages(testbed.registry, "bench-" + run, images);
    this.fleet = new Fleet("bench-" + run, workloads, benchImages);
    this.registryLog = new RegistryLog(testbed.registryLog, benchImages.prefix() + "/");
    testbed.createNamespace(fleet.namespace());
    this.pushSeconds = benchImages.pushAll(testbed);
    long start = System.nanoTime();
    testbed.createAll(
        asApps ? fleet.apps(interval) : fleet.deployments(operator.annotations(), interval));
    this.createSeconds = (System.nanoTime() - start) / 1e9;
    this.templates = new TemplateWatch(testbed.client, fleet.namespace());
    if (!asApps) {
      BenchTestbed.await(
          "the watch of " + workloads + " Deployments",
          () -> templates.count((name, image) -> true) == workloads);
    }
    Bench.log(
        "%s: pushed %d images in %.1f s, created %d %s in %.1f s",
        fleet.namespace(),
        images,
        pushSeconds,
        workloads,
        asApps ? "Apps" : "Deployments",
        createSeconds);
  }

  /** Starts the operator and waits for the end of its first cycle. */
  void startOperator(Path log) throws Exception {
    int mark = registryLog.mark();
    process = operator.start(testbed, fleet.namespace(), receiverPort, log);
    int images = fleet.images().count();
    BenchTestbed.await(
        operator.name() + "'s first cycle",
        () -> {
          try {
            process.usage();
            return registryLog.since(mark).manifestRepositories().size() >= images
                && (!operator.isFreshet() || pinned() == fleet.workloads());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    firstCycleSeconds = process.secondsSinceStart();
    afterFirstCycle = process.usage();
    Bench.log(
        "%s: first cycle done %.1f s after start, RSS %.0f MiB",
        operator.name(), firstCycleSeconds, afterFirstCycle.rssMib());
  }

  long pinned() {
    return templates.count(fleet::current);
  }

  OperatorProcess process() {
    return process;
  }

  /**
   * Waits, at most {@code limit}, until Freshet has sent no write for 10 s: the pins and their
   * records are done. Its Lease renewals are not counted (see {@link ApiWrites}).
   */
  void awaitFreshetQuiet(Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    ApiWrites last = process.freshetWrites();
    int quietSamples = 0;
    while (System.nanoTime() < deadline && quietSamples < 2) {
      Thread.sleep(5000);
      ApiWrites now = process.freshetWrites();
      quietSamples = now.since(last).total() == 0 ? quietSamples + 1 : 0;
      last = now;
    }
    if (quietSamples < 2) {
      Bench.log("Freshet was still writing after %d s; measuring anyway", limit.toSeconds());
    }
  }

  /**
   * Waits, at most {@code limit}, until {@code pinned} Deployments name a digest (a peer may pin
   * otherwise: 0 for one) and the controller-manager has finished every rollout.
   */
  void awaitRolloutsDone(int pinned, Duration limit) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (templates.count((name, image) -> image.contains("@sha256:")) >= pinned
          && templates.unsettled() == 0) {
        Bench.log(
            "every rollout done %.0f s after the wait began", (System.nanoTime() - start) / 1e9);
        return;
      }
      Thread.sleep(2000);
    }
    Bench.log(
        "%d rollouts still unfinished after %d s; measuring anyway",
        templates.unsettled(), limit.toSeconds());
  }

  void stopOperator() throws InterruptedException {
    if (process != null) {
      process.close();
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopOperator();
    templates.close();
    testbed.deleteNamespace(fleet.namespace());
  }
}
