package dev.freshet.tracked;

import dev.freshet.poll.PolicySpec;
import dev.freshet.registry.policy.PatternPolicy;
import dev.freshet.registry.policy.SemverPolicy;
import dev.freshet.update.Custody;
import dev.freshet.update.Intervals;
import dev.freshet.update.MaintenanceWindow;
import dev.freshet.update.SecretNames;
import dev.freshet.update.VerifyConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code freshet.dev/*} annotations by which a workload Freshet did not create asks to be kept
 * fresh, read into a {@link TrackedPolicy}. They mirror an App's {@code spec.update}.
 */
public final class TrackedAnnotations {
  public static final String PREFIX = "freshet.dev/";
  public static final String POLICY = PREFIX + "policy";
  public static final String SEMVER = PREFIX + "semver";
  public static final String PATTERN = PREFIX + "pattern";
  public static final String ORDER = PREFIX + "order";
  public static final String INCLUDE_PRERELEASE = PREFIX + "include-prerelease";
  public static final String INTERVAL = PREFIX + "interval";
  public static final String CONTAINERS = PREFIX + "containers";
  public static final String FORCE = PREFIX + "force";
  public static final String APPROVAL = PREFIX + "approval";
  public static final String WINDOWS = PREFIX + "windows";
  public static final String MIN_AGE = PREFIX + "min-age";

  /** A Secret in the workload's namespace whose {@code *.pub} keys are cosign public keys. */
  public static final String VERIFY_KEY_SECRET = PREFIX + "verify-key-secret";

  /** Reserved for keyless verification, which is refused until it is supported. */
  public static final String VERIFY_KEYLESS = PREFIX + "verify-keyless";

  /**
   * How long a StatefulSet's or DaemonSet's rollout may take; their controllers keep no deadline.
   */
  public static final String PROGRESS_DEADLINE = PREFIX + "progress-deadline";

  /** Set by a person ({@code freshet hold}): updates stop until resumed. */
  public static final String HOLD = Custody.HOLD_ANNOTATION;

  /** Set by a person ({@code freshet resume}), removed by Freshet once it resumed updates. */
  public static final String RESUME = Custody.RESUME_ANNOTATION;

  /**
   * As a Deployment's default {@code progressDeadlineSeconds}: the deadline Freshet keeps for a
   * StatefulSet or DaemonSet that names none.
   */
  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);

  static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
  static final Duration MIN_PROGRESS_DEADLINE = Duration.ofSeconds(5);
  private static final Set<String> ORDERS = Set.of("semver", "numeric", "alphabetical");

  /** As {@code spec.update.semver} and {@code spec.update.pattern} are bounded in the App CRD. */
  static final int MAX_EXPRESSION_LENGTH = 256;

  private TrackedAnnotations() {}

  private static void refuseLongerThan(String annotation, Optional<String> value, int max) {
    if (value.isPresent() && value.get().length() > max) {
      throw new IllegalArgumentException(
          annotation + " is " + value.get().length() + " characters long; at most " + max);
    }
  }

  /** True if the workload asks to be tracked at all. */
  public static boolean isTracked(Map<String, String> annotations) {
    return annotations != null && annotations.containsKey(POLICY);
  }

  /**
   * Reads the policy.
   *
   * @throws IllegalArgumentException with a message naming the annotation and what it allows
   */
  public static TrackedPolicy parse(Map<String, String> annotations) {
    String policyValue = annotations.get(POLICY);
    if (policyValue == null) {
      throw new IllegalArgumentException(POLICY + " is not set");
    }
    PolicySpec.Kind kind;
    try {
      kind = PolicySpec.Kind.parse(policyValue);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(POLICY + ": " + e.getMessage());
    }
    Optional<String> semver = Optional.ofNullable(annotations.get(SEMVER)).map(String::trim);
    Optional<String> pattern = Optional.ofNullable(annotations.get(PATTERN));
    Optional<String> order = Optional.ofNullable(annotations.get(ORDER)).map(String::trim);
    // The bounds an App's spec.update has in its schema: a policy is a short expression, and a
    // longer one only costs every check that reads it.
    refuseLongerThan(SEMVER, semver, MAX_EXPRESSION_LENGTH);
    refuseLongerThan(PATTERN, pattern, MAX_EXPRESSION_LENGTH);
    if (kind == PolicySpec.Kind.SEMVER && semver.filter(s -> !s.isEmpty()).isEmpty()) {
      throw new IllegalArgumentException(
          POLICY + "=semver needs " + SEMVER + ", a range such as ~1.4, ^2 or >=1.2 <2");
    }
    if (kind == PolicySpec.Kind.SEMVER) {
      // The same reading the poller applies: a range refused here never reaches a poll worker.
      try {
        SemverPolicy.validate(semver.get());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(SEMVER + ": " + e.getMessage());
      }
    }
    boolean includePrerelease = false;
    if (annotations.containsKey(INCLUDE_PRERELEASE)) {
      String value = annotations.get(INCLUDE_PRERELEASE).trim();
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException(
            INCLUDE_PRERELEASE + " \"" + value + "\" is neither \"true\" nor \"false\"");
      }
      includePrerelease = value.equals("true");
    }
    if (kind == PolicySpec.Kind.PATTERN) {
      if (pattern.filter(s -> !s.isEmpty()).isEmpty()) {
        throw new IllegalArgumentException(
            POLICY
                + "=pattern needs "
                + PATTERN
                + ", a regular expression over tags such as ^main-(?<ts>[0-9]+)$");
      }
      // The same RE2 check the poller applies: a pattern refused here never reaches a poll worker.
      try {
        PatternPolicy.validate(pattern.get());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(PATTERN + ": " + e.getMessage());
      }
    }
    if (order.isPresent() && !ORDERS.contains(order.get())) {
      throw new IllegalArgumentException(
          ORDER + " \"" + order.get() + "\" is unknown: use semver, numeric or alphabetical");
    }
    Duration interval = DEFAULT_INTERVAL;
    if (annotations.containsKey(INTERVAL)) {
      try {
        interval = Intervals.parse(annotations.get(INTERVAL));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(INTERVAL + ": " + e.getMessage());
      }
    }
    Set<String> containers = new LinkedHashSet<>();
    Optional.ofNullable(annotations.get(CONTAINERS))
        .ifPresent(
            list ->
                Arrays.stream(list.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .forEach(containers::add));
    boolean force = "true".equalsIgnoreCase(annotations.getOrDefault(FORCE, "").trim());
    boolean manual = false;
    if (annotations.containsKey(APPROVAL)) {
      String value = annotations.get(APPROVAL).trim();
      if (!value.equals("manual") && !value.equals("automatic")) {
        throw new IllegalArgumentException(
            APPROVAL + " \"" + value + "\" is neither \"manual\" nor \"automatic\"");
      }
      manual = value.equals("manual");
    }
    List<MaintenanceWindow> windows =
        annotations.containsKey(WINDOWS)
            ? TrackedWaits.windows(annotations.get(WINDOWS))
            : List.of();
    Duration minAge = Duration.ZERO;
    if (annotations.containsKey(MIN_AGE)) {
      try {
        minAge = Intervals.parseMinAge(annotations.get(MIN_AGE));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(MIN_AGE + ": " + e.getMessage());
      }
    }
    Duration progressDeadline = DEFAULT_PROGRESS_DEADLINE;
    if (annotations.containsKey(PROGRESS_DEADLINE)) {
      try {
        progressDeadline = Intervals.parseDuration(annotations.get(PROGRESS_DEADLINE));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(PROGRESS_DEADLINE + ": " + e.getMessage());
      }
      if (progressDeadline.compareTo(MIN_PROGRESS_DEADLINE) < 0) {
        throw new IllegalArgumentException(
            PROGRESS_DEADLINE
                + " \""
                + annotations.get(PROGRESS_DEADLINE).trim()
                + "\" is below the minimum of 5s: a rollout cannot finish sooner");
      }
    }
    return new TrackedPolicy(
        new PolicySpec(kind, semver, pattern, order, includePrerelease),
        interval,
        containers,
        force,
        manual,
        windows,
        minAge,
        verify(annotations),
        progressDeadline);
  }

  private static Optional<VerifyConfig> verify(Map<String, String> annotations) {
    if (annotations.containsKey(VERIFY_KEYLESS)) {
      throw new IllegalArgumentException(VERIFY_KEYLESS + ": " + VerifyConfig.KEYLESS_UNSUPPORTED);
    }
    if (!annotations.containsKey(VERIFY_KEY_SECRET)) {
      return Optional.empty();
    }
    String secret = annotations.get(VERIFY_KEY_SECRET).trim();
    if (!SecretNames.isValid(secret)) {
      throw new IllegalArgumentException(
          VERIFY_KEY_SECRET
              + " \""
              + (secret.length() > 64 ? secret.substring(0, 64) + "…" : secret)
              + "\" is not a Secret name (lower-case letters, digits, '-' and '.')");
    }
    return Optional.of(VerifyConfig.withKeys(secret));
  }
}
