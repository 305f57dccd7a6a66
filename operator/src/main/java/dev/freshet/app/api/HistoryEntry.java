package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One rollout: from which digest to which, and how it ended. Newest first, a few kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryEntry {

  private String image;
  private String fromDigest;
  private String toDigest;
  private String tag;
  private String startedAt;
  private String finishedAt;

  /**
   * Progressing, Succeeded, Superseded, RolledBack, or SignatureInvalid (refused, never rolled).
   */
  private String outcome;

  private String message;

  /** Set to {@value #ROLLBACK} when a person rolled the App back; absent for an update. */
  private String cause;

  /** The {@code cause} of a rollout a person asked for with {@code freshet rollback}. */
  public static final String ROLLBACK = "Rollback";

  public String getCause() {
    return cause;
  }

  public void setCause(String cause) {
    this.cause = cause;
  }

  /** The image the App declared ({@code spec.image}) when this rollout started. */
  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getFromDigest() {
    return fromDigest;
  }

  public void setFromDigest(String fromDigest) {
    this.fromDigest = fromDigest;
  }

  public String getToDigest() {
    return toDigest;
  }

  public void setToDigest(String toDigest) {
    this.toDigest = toDigest;
  }

  public String getTag() {
    return tag;
  }

  public void setTag(String tag) {
    this.tag = tag;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public String getOutcome() {
    return outcome;
  }

  public void setOutcome(String outcome) {
    this.outcome = outcome;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
