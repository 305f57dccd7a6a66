package dev.freshet.tracked;

import dev.freshet.poll.PolicySpec;
import java.time.Duration;
import java.util.Set;

/**
 * What a tracked workload's annotations ask for.
 *
 * @param policy how a newer image is chosen
 * @param interval how often the registry is asked
 * @param containers the containers to keep fresh, init containers included; empty means every
 *     container and no init container
 * @param force take the image field over even from a controller that would revert it
 * @param progressDeadline how long a StatefulSet's or DaemonSet's rollout of a new pin may take
 *     before the health gate rolls it back (a Deployment keeps its own, {@code
 *     spec.progressDeadlineSeconds})
 */
public record TrackedPolicy(
    PolicySpec policy,
    Duration interval,
    Set<String> containers,
    boolean force,
    Duration progressDeadline) {

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
