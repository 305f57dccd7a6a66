package dev.freshet.update;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 */
public record Custody(
    Optional<String> held,
    boolean resumeAsked,
    boolean recordChangesWithTemplate,
    Optional<String> imageTakenBy) {

  /** Where nobody else manages the image field, as far as the caller knows. */
  public Custody(Optional<String> held, boolean resumeAsked, boolean recordChangesWithTemplate) {
    this(held, resumeAsked, recordChangesWithTemplate, Optional.empty());
  }

  /** Set by a person ({@code freshet hold}) on an App or a tracked workload: updates stop. */
  public static final String HOLD_ANNOTATION = "freshet.dev/hold";

  /** Set by a person ({@code freshet resume}), removed by Freshet once it resumed updates. */
  public static final String RESUME_ANNOTATION = "freshet.dev/resume";

  /**
   * Nobody holds the image, and a difference between template and record is Freshet's to finish.
   */
  public static final Custody FRESHET = new Custody(Optional.empty(), false, false);

  /** Whether a person's hold or resume annotation differs between the two annotation maps. */
  public static boolean changed(Map<String, String> before, Map<String, String> after) {
    Map<String, String> a = before == null ? Map.of() : before;
    Map<String, String> b = after == null ? Map.of() : after;
    return !Objects.equals(a.get(HOLD_ANNOTATION), b.get(HOLD_ANNOTATION))
        || !Objects.equals(a.get(RESUME_ANNOTATION), b.get(RESUME_ANNOTATION));
  }

  /** This custody, knowing who else manages the image field. */
  public Custody with(Optional<String> imageTakenBy) {
    return new Custody(held, resumeAsked, recordChangesWithTemplate, imageTakenBy);
  }
}
