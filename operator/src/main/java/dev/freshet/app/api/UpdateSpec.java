package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
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

  public enum Approval {
    Automatic,
    Manual
  }

  static final String INTERVAL_GRAMMAR = "^([0-9]{1,6}(h|m|s))+$";

  @Default("digest")
  private Policy policy = Policy.DIGEST;

  @Size(max = 256)
  private String semver;

  /**
   * RE2, as the operator runs it and as CEL's matches() speaks it. What CEL can check is checked
   * here: that it compiles as RE2 (matching it against an empty tag fails on a pattern that does
   * not) and that it names a group to order by.
   */
  @Size(max = 256)
  @ValidationRule(
      value = "''.matches(self) || !''.matches(self)",
      message =
          "must be an RE2 regular expression (no backreferences or lookaround), such as"
              + " ^main-(?<build>[0-9]+)$")
  @ValidationRule(
      value = "self.matches('[(][?]P?<[a-zA-Z_][a-zA-Z0-9_]*>')",
      message = "needs a named group that says what to order by, such as ^main-(?<build>[0-9]+)$")
  private String pattern;

  private Order order;

  /**
   * For policy semver: every pre-release in the range qualifies (node-semver's includePrerelease).
   * Without it, a pre-release qualifies only when the range names a pre-release of the same
   * major.minor.patch, as in >=2.0.0-rc.1 <3.
   */
  private Boolean includePrerelease;

  /**
   * Whole hours, minutes and seconds (Intervals reads the same grammar). The pattern allows at most
   * six digits per number, enough for a day in any unit, before CEL's duration() sees the value: a
   * number such as 99999999999h would otherwise fail inside CEL with a message about
   * google.protobuf.Duration. The bounds are Intervals.MINIMUM and Intervals.MAXIMUM.
   */
  @Default("5m")
  @Size(max = 32)
  @ValidationRule(
      value = "self.matches('" + INTERVAL_GRAMMAR + "')",
      message =
          "must be a duration of whole hours, minutes or seconds such as 30s, 5m or 1h30m (each"
              + " number at most 6 digits)")
  @ValidationRule(
      value = "!self.matches('" + INTERVAL_GRAMMAR + "') || duration(self) >= duration('10s')",
      message = "must be at least 10s (a duration such as 10s, 5m or 1h)")
  @ValidationRule(
      value = "!self.matches('" + INTERVAL_GRAMMAR + "') || duration(self) <= duration('24h')",
      message = "must be at most 24h; for an image that should not be followed, use policy: none")
  private String interval = "5m";

  /**
   * How long a rollout to a new digest may take to become available before Freshet rolls back to
   * the last good digest and never retries the bad one (the Deployment's progressDeadlineSeconds).
   */
  @Default("600")
  @Min(5)
  @Max(86400)
  private Integer progressDeadlineSeconds = 600;

  /** Only signed images roll out; absent, any digest the registry serves does. */
  private VerifySpec verify;

  public VerifySpec getVerify() {
    return verify;
  }

  public void setVerify(VerifySpec verify) {
    this.verify = verify;
  }

  /**
   * Manual: each new digest waits in status.image.pending until a person approves it (freshet
   * approve, or the annotation freshet.dev/approve naming the digest).
   */
  @Default("Automatic")
  private Approval approval = Approval.Automatic;

  /** Updates roll only while one of these is open; none means at any time. */
  @Size(max = 16)
  private java.util.List<WindowSpec> windows;

  /**
   * How long a digest must have been seen by Freshet before it rolls, from 0s to 168h (Intervals
   * reads the same grammar and bounds).
   */
  @Size(max = 32)
  @ValidationRule(
      value = "self.matches('" + INTERVAL_GRAMMAR + "')",
      message = "must be a duration of whole hours, minutes or seconds such as 0s, 10m or 24h")
  @ValidationRule(
      value = "!self.matches('" + INTERVAL_GRAMMAR + "') || duration(self) <= duration('168h')",
      message = "must be at most 168h (a week)")
  private String minAge;

  public Approval getApproval() {
    return approval;
  }

  public void setApproval(Approval approval) {
    this.approval = approval;
  }

  public java.util.List<WindowSpec> getWindows() {
    return windows;
  }

  public void setWindows(java.util.List<WindowSpec> windows) {
    this.windows = windows;
  }

  public String getMinAge() {
    return minAge;
  }

  public void setMinAge(String minAge) {
    this.minAge = minAge;
  }

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

  public Boolean getIncludePrerelease() {
    return includePrerelease;
  }

  public void setIncludePrerelease(Boolean includePrerelease) {
    this.includePrerelease = includePrerelease;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }
}
