package dev.freshet.tracked;

import dev.freshet.poll.PolicySpec;
import java.time.Duration;
import java.util.Set;

/**
 * What a tracked workload's annotations ask for.
 *
 * @param policy how a newer image is chosen
 * @param interval how often the registry is asked
 * @param containers the containers to keep fresh; empty means all
 * @param force take the image field over even from a controller that would revert it
 */
public record TrackedPolicy(PolicySpec policy, Duration interval, Set<String> containers, boolean force) {

  public boolean covers(String container) {
    return containers.isEmpty() || containers.contains(container);
  }
}
