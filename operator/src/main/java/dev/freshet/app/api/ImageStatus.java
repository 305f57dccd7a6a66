package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The image the App runs, the one Freshet pinned, and the newest one its policy allows: the update
 * engine's record, kept in the API server so a restart or a new leader decides from it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageStatus {

  private String tag;
  private String resolvedFor;
  private String pinnedTag;
  private String pinnedDigest;
  private String runningDigest;
  private String runningTag;
  private String latestDigest;
  private String checkedAt;
  private String updatedAt;
  private java.util.List<String> quarantinedDigests;
  private PendingStatus pending;

  /** A newer digest that waits for an approval, a maintenance window or its minimum age. */
  public PendingStatus getPending() {
    return pending;
  }

  public void setPending(PendingStatus pending) {
    this.pending = pending;
  }

  /**
   * Digests whose rollout did not become available in time: Freshet rolled back from them and never
   * pins them again (newest last, at most ten).
   */
  public java.util.List<String> getQuarantinedDigests() {
    return quarantinedDigests;
  }

  public void setQuarantinedDigests(java.util.List<String> quarantinedDigests) {
    this.quarantinedDigests = quarantinedDigests;
  }

  /**
   * The tag Freshet pins into the workload, with {@link #getPinnedDigest()}: recorded before the
   * workload is patched, so a restart finishes the rollout it started instead of guessing.
   */
  public String getPinnedTag() {
    return pinnedTag;
  }

  public void setPinnedTag(String pinnedTag) {
    this.pinnedTag = pinnedTag;
  }

  public String getPinnedDigest() {
    return pinnedDigest;
  }

  public void setPinnedDigest(String pinnedDigest) {
    this.pinnedDigest = pinnedDigest;
  }

  public String getTag() {
    return tag;
  }

  public void setTag(String tag) {
    this.tag = tag;
  }

  /**
   * The {@code spec.image} the digests were resolved for: after the App names another image, a
   * digest of the old one is never pinned.
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
