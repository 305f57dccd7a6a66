package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The image the App runs and the newest one its policy allows; filled in by the update engine. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageStatus {

  private String tag;
  private String resolvedFor;
  private String runningDigest;
  private String runningTag;
  private String latestDigest;
  private String checkedAt;
  private String updatedAt;
  private java.util.List<String> rejectedDigests;

  /**
   * Digests whose rollout did not become available in time: Freshet rolled back from them and never
   * pins them again (newest last, at most ten).
   */
  public java.util.List<String> getRejectedDigests() {
    return rejectedDigests;
  }

  public void setRejectedDigests(java.util.List<String> rejectedDigests) {
    this.rejectedDigests = rejectedDigests;
  }

  public String getTag() {
    return tag;
  }

  public void setTag(String tag) {
    this.tag = tag;
  }

  /**
   * The {@code spec.image} the digests were resolved for: after the App names another image, a digest
   * of the old one is never pinned.
   */
  public String getResolvedFor() {
    return resolvedFor;
  }

  public void setResolvedFor(String resolvedFor) {
    this.resolvedFor = resolvedFor;
  }

  /** The tag the pods run with {@link #getRunningDigest()}: where a rollback goes. */
  public String getRunningTag() {
    return runningTag;
  }

  public void setRunningTag(String runningTag) {
    this.runningTag = runningTag;
  }

  public String getRunningDigest() {
    return runningDigest;
  }

  public void setRunningDigest(String runningDigest) {
    this.runningDigest = runningDigest;
  }

  public String getLatestDigest() {
    return latestDigest;
  }

  public void setLatestDigest(String latestDigest) {
    this.latestDigest = latestDigest;
  }

  public String getCheckedAt() {
    return checkedAt;
  }

  public void setCheckedAt(String checkedAt) {
    this.checkedAt = checkedAt;
  }

  public String getUpdatedAt() {
    return updatedAt;
  }

  public void setUpdatedAt(String updatedAt) {
    this.updatedAt = updatedAt;
  }
}
