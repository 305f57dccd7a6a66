package dev.freshet.update;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a person holds a workload's image, as the API server records it: the input by which the
 * update engine leaves a person's choice alone.
 *
 * @param held why updates are held, when a hold is recorded
 * @param resumeAsked a person asked to resume updates ({@code freshet resume}): the hold ends and
 *     whatever the template names now becomes the base the next update starts from
 * @param recordChangesWithTemplate Freshet records its pin in the same write that changes the
 *     template (tracked workloads), so a template that names another pin was changed by someone
 *     else; false where a template can lag its record (an App's pin is recorded before its workload
 *     is patched, and a difference is a rollout to finish)
 * @param imageTakenBy who else manages the image field, when Freshet's manager no longer does: a
 *     Deployment's {@code rollout undo} restores the workload's annotations along with its
 *     template, record included, so only the field's ownership shows that someone changed it
 * @param rollbackTo a person asked to go back to this pin ({@code freshet rollback}): the digest
 *     the workload is on is quarantined, as a failed health gate would, so the registry's answer
 *     does not bring it straight back
 * @param released digests a person released from quarantine ({@code freshet unquarantine}), or
 *     {@link #ALL}: they may be pinned again
 */
public record Custody(
    Optional<String> held,
    boolean resumeAsked,
    boolean recordChangesWithTemplate,
    Optional<String> imageTakenBy,
    Optional<Pin> rollbackTo,
    Set<String> released) {

  public Custody {
    released = Set.copyOf(released);
  }

  /** Where nobody else manages the image field, as far as the caller knows. */
  public Custody(Optional<String> held, boolean resumeAsked, boolean recordChangesWithTemplate) {
    this(
        held, resumeAsked, recordChangesWithTemplate, Optional.empty(), Optional.empty(), Set.of());
  }

  /** Set by a person ({@code freshet hold}) on an App or a tracked workload: updates stop. */
  public static final String HOLD_ANNOTATION = "freshet.dev/hold";

  /** Set by a person ({@code freshet resume}), removed by Freshet once it resumed updates. */
  public static final String RESUME_ANNOTATION = "freshet.dev/resume";

  /**
   * Set by a person ({@code freshet rollback}) to the pin to go back to, {@code tag@digest} on an
   * App and {@code container=tag@digest,…} on a tracked workload; removed by Freshet once done.
   */
  public static final String ROLLBACK_ANNOTATION = "freshet.dev/rollback";

  /**
   * Set by a person ({@code freshet unquarantine}) to the digests to release, comma-separated, or
   * {@value #ALL} for every quarantined digest; removed by Freshet once released.
   */
  public static final String UNQUARANTINE_ANNOTATION = "freshet.dev/unquarantine";

  /** The value of {@link #UNQUARANTINE_ANNOTATION} that releases every quarantined digest. */
  public static final String ALL = "*";

  /**
   * Nobody holds the image, and a difference between template and record is Freshet's to finish.
   */
  public static final Custody FRESHET = new Custody(Optional.empty(), false, false);

  /** The digests an {@link #UNQUARANTINE_ANNOTATION} value names, {@link #ALL} included. */
  public static Set<String> released(String annotation) {
    if (annotation == null) {
      return Set.of();
    }
    return Arrays.stream(annotation.split(","))
        .map(String::trim)
        .filter(d -> !d.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** This custody, knowing who else manages the image field. */
  public Custody with(Optional<String> imageTakenBy) {
    return new Custody(
        held, resumeAsked, recordChangesWithTemplate, imageTakenBy, rollbackTo, released);
  }

  /** This custody, with what a person asked of the image: a rollback, a release from quarantine. */
  public Custody asking(Optional<Pin> rollbackTo, Set<String> released) {
    return new Custody(
        held, resumeAsked, recordChangesWithTemplate, imageTakenBy, rollbackTo, released);
  }

  /**
   * The annotation changes that consume this custody's requests (null removes an annotation), for a
   * merge patch written once what they asked is recorded.
   */
  public static Map<String, String> consumed(Custody custody) {
    Map<String, String> removed = new HashMap<>();
    if (custody.resumeAsked()) {
      removed.put(RESUME_ANNOTATION, null);
    }
    if (custody.rollbackTo().isPresent()) {
      removed.put(ROLLBACK_ANNOTATION, null);
    }
    if (!custody.released().isEmpty()) {
      removed.put(UNQUARANTINE_ANNOTATION, null);
    }
    return removed;
  }

  /** Whether a person's request waits to be consumed once decided: resume, rollback, release. */
  public boolean hasRequest() {
    return resumeAsked || rollbackTo.isPresent() || !released.isEmpty();
  }
}
