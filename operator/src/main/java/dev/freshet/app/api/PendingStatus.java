package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A newer digest that waits before it rolls, and what for. Kept in the API server so a restart or a
 * new leader goes on waiting (and counting a minimum age) from where the last one was.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingStatus {
  private String tag;
  private String digest;
  private String since;
  private String waitingFor;
  private String nextWindow;
  private String matureAt;

  public String getTag() {
    return tag;
  }

  public void setTag(String tag) {
    this.tag = tag;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  /** When Freshet first saw this digest: a minimum age counts from here. */
  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  /** Approval, Window or Maturity. */
  public String getWaitingFor() {
    return waitingFor;
  }

  public void setWaitingFor(String waitingFor) {
    this.waitingFor = waitingFor;
  }

  /** When waiting for a window: when the next one opens. */
  public String getNextWindow() {
    return nextWindow;
  }

  public void setNextWindow(String nextWindow) {
    this.nextWindow = nextWindow;
  }

  /** When waiting for maturity: when the digest is old enough to roll. */
  public String getMatureAt() {
    return matureAt;
  }

  public void setMatureAt(String matureAt) {
    this.matureAt = matureAt;
  }
}
