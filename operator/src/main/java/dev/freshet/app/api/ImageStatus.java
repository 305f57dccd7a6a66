package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The image the App runs and the newest one its policy allows; filled in by the update engine. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageStatus {

  private String tag;
  private String resolvedFor;
  private String runningDigest;
  private String latestDigest;
  private String checkedAt;
  private String updatedAt;

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
