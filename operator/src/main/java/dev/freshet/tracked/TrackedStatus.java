package dev.freshet.tracked;

import dev.freshet.observe.WorkloadStates;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Freshet records on a tracked workload, as annotations under {@code status.freshet.dev/} so
 * they are never mistaken for the configuration under {@code freshet.dev/}. They are written by the
 * manager that sets the image ({@link dev.freshet.update.ImageFieldApplier#FIELD_MANAGER}), so a
 * pin and its status are one write; see {@link TrackedStatusWriter}.
 */
public final class TrackedStatus {
  public static final String PREFIX = "status.freshet.dev/";
  public static final String RUNNING_DIGEST = PREFIX + "running-digest";
  public static final String LATEST_DIGEST = PREFIX + "latest-digest";
  public static final String LATEST_TAG = PREFIX + "latest-tag";
  public static final String CHECKED_AT = PREFIX + "checked-at";
  public static final String UPDATED_AT = PREFIX + "updated-at";
  public static final String UP_TO_DATE = PREFIX + "up-to-date";
  public static final String MESSAGE = PREFIX + "message";
  public static final String HISTORY = PREFIX + "history";

  /**
   * What waits before it rolls, per container, as JSON: {@code {"web": {"tag", "digest", "since",
   * "waitingFor", "nextWindow"|"matureAt"}}}.
   */
  public static final String PENDING = PREFIX + "pending";

  /**
   * The last webhook digest the registry did not confirm: reported once, not at every reconcile.
   */
  public static final String REFUSED_HINT = PREFIX + "refused-hint";

  private TrackedStatus() {}

  /** A tracked workload's state as {@code freshet_workloads} counts it, from its annotations. */
  public static String state(Map<String, String> annotations) {
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    if (a.containsKey(TrackedRecord.HELD)) {
      return WorkloadStates.HELD;
    } else if (a.containsKey(PENDING)) {
      return WorkloadStates.WAITING;
    } else if ("True".equals(a.get(UP_TO_DATE))) {
      return WorkloadStates.UP_TO_DATE;
    } else if ("False".equals(a.get(UP_TO_DATE))) {
      // Without a message nothing is wrong: the rollout has not completed yet.
      return a.containsKey(MESSAGE) ? WorkloadStates.FAILING : WorkloadStates.ROLLING_OUT;
    }
    return WorkloadStates.UNKNOWN;
  }

  /** The digests that wait now, in any container, as {@link #PENDING} records them. */
  public static java.util.Set<String> pendingDigests(Map<String, String> annotations) {
    var digests = new java.util.TreeSet<String>();
    TrackedWaits.pending(annotations).values().stream()
        .map(TrackedWaits.PendingText::digest)
        .filter(java.util.Objects::nonNull)
        .forEach(digests::add);
    return digests;
  }

  /**
   * The status annotations present on a workload that the status writer owns (not those written
   * with the image, see {@link TrackedRecord}).
   */
  public static Map<String, String> of(Map<String, String> annotations) {
    Map<String, String> status = new LinkedHashMap<>();
    if (annotations != null) {
      annotations.forEach(
          (k, v) -> {
            if (k.startsWith(PREFIX) && !TrackedRecord.WRITTEN_WITH_IMAGE.contains(k)) {
              status.put(k, v);
            }
          });
    }
    return status;
  }
}
