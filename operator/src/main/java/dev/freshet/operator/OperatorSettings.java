package dev.freshet.operator;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How one operator process runs.
 *
 * @param namespaces the namespaces whose Apps it reconciles; empty means all
 * @param resyncInterval how often an App is reconciled when nothing happens
 * @param leaderElection present when replicas must elect a leader before reconciling
 * @param trackWorkloads whether Deployments, StatefulSets and DaemonSets annotated with
 *     {@code freshet.dev/policy} are followed too
 */
public record OperatorSettings(
    Set<String> namespaces,
    Duration resyncInterval,
    Optional<LeaderElection> leaderElection,
    boolean trackWorkloads) {

  /** Apps only; tracked workloads are followed unless told otherwise. */
  public OperatorSettings(
      Set<String> namespaces, Duration resyncInterval, Optional<LeaderElection> leaderElection) {
    this(namespaces, resyncInterval, leaderElection, true);
  }

  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);

  /**
   * @param exitOnStopLeading a process that lost its lease exits, so it cannot reconcile beside the
   *     new leader; tests running several operators in one JVM turn this off
   */
  public record LeaderElection(
      String leaseName,
      String leaseNamespace,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      boolean exitOnStopLeading) {

    public static final String DEFAULT_LEASE_NAME = "freshet-operator";
  }
}
