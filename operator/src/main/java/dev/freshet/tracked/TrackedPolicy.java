package dev.freshet.tracked;

import dev.freshet.poll.PolicySpec;
import dev.freshet.update.MaintenanceWindow;
import dev.freshet.update.VerifyConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a tracked workload's annotations ask for.
 *
 * @param policy how a newer image is chosen
 * @param interval how often the registry is asked
 * @param containers the containers to keep fresh, init containers included; empty means every
 *     container and no init container
 * @param force take the image field over even from a controller that would revert it
 * @param manualApproval each new digest waits for a person's approval
 * @param windows updates roll only while one is open; empty means at any time
 * @param minAge how long a digest must have been seen before it rolls
 * @param verify the signatures a new digest needs before it rolls out, if any
 * @param progressDeadline how long a StatefulSet's or DaemonSet's rollout of a new pin may take
 *     before the health gate rolls it back (a Deployment keeps its own, {@code
 *     spec.progressDeadlineSeconds})
 */
public record TrackedPolicy(
    PolicySpec policy,
    Duration interval,
    Set<String> containers,
    boolean force,
    boolean manualApproval,
    List<MaintenanceWindow> windows,
    Duration minAge,
    Optional<VerifyConfig> verify,
    Duration progressDeadline) {

  /** A policy with no wait, no signature requirement and the default progress deadline. */
  public TrackedPolicy(
      PolicySpec policy, Duration interval, Set<String> containers, boolean force) {
    this(
        policy,
        interval,
        containers,
        force,
        false,
        List.of(),
        Duration.ZERO,
        Optional.empty(),
        TrackedAnnotations.DEFAULT_PROGRESS_DEADLINE);
  }

  /**
   * Whether a container is kept fresh. Init containers only when named: they often run a tool image
   * (a migration runner, a shell to wait for a database) that the workload's one policy was not
   * written for, and following them by default would start rolling workloads that were tracked
   * before init containers were.
   */
  public boolean covers(String container, boolean init) {
    return init
        ? containers.contains(container)
        : containers.isEmpty() || containers.contains(container);
  }
}
