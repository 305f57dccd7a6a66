package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How a new version of the image is chosen. The shape is fixed now so Apps written today stay valid
 * when the update engine starts acting on it.
 */
@ValidationRule(
    value = "self.policy != 'semver' || has(self.semver)",
    message = "policy semver needs update.semver, a range such as ~1.4 or >=2 <3",
    fieldPath = ".semver")
@ValidationRule(
    value = "self.policy != 'pattern' || has(self.pattern)",
    message = "policy pattern needs update.pattern, a regular expression over tags",
    fieldPath = ".pattern")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpdateSpec {

  public enum Policy {
    @JsonProperty("digest")
    DIGEST,
    @JsonProperty("semver")
    SEMVER,
    @JsonProperty("pattern")
    PATTERN,
    @JsonProperty("none")
    NONE
  }

  public enum Order {
    @JsonProperty("semver")
    SEMVER,
    @JsonProperty("numeric")
    NUMERIC,
    @JsonProperty("alphabetical")
    ALPHABETICAL
  }

  @Default("digest")
  private Policy policy = Policy.DIGEST;

  @Size(max = 256)
  private String semver;

  @Size(max = 256)
  private String pattern;

  private Order order;

  /** Go-style durations of whole units; CEL's duration() then enforces the floor. */
  @Default("5m")
  @Size(max = 32)
  @Pattern("^([0-9]+(h|m|s))+$")
  @ValidationRule(
      value = "duration(self) >= duration('10s')",
      message = "must be at least 10s (a duration such as 10s, 5m or 1h)")
  private String interval = "5m";

  /**
   * How long a rollout to a new digest may take to become available before Freshet rolls back to the
   * last good digest and never retries the bad one (the Deployment's progressDeadlineSeconds).
   */
  @Default("600")
  @io.fabric8.generator.annotation.Min(5)
  @io.fabric8.generator.annotation.Max(86400)
  private Integer progressDeadlineSeconds = 600;

  public Integer getProgressDeadlineSeconds() {
    return progressDeadlineSeconds;
  }

  public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
    this.progressDeadlineSeconds = progressDeadlineSeconds;
  }

  public Policy getPolicy() {
    return policy;
  }

  public void setPolicy(Policy policy) {
    this.policy = policy;
  }

  public String getSemver() {
    return semver;
  }

  public void setSemver(String semver) {
    this.semver = semver;
  }

  public String getPattern() {
    return pattern;
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  public Order getOrder() {
    return order;
  }

  public void setOrder(Order order) {
    this.order = order;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }
}
