package dev.freshet.poll;

import java.util.Locale;
import java.util.Optional;

/**
 * An update policy as the poller needs it, whether it came from an App's {@code spec.update} or
 * from a tracked workload's {@code freshet.dev/*} annotations.
 *
 * @param kind {@code digest}, {@code semver}, {@code pattern} or {@code none}
 * @param semver the range, for {@code semver}
 * @param pattern the regular expression, for {@code pattern}
 * @param order how {@code pattern} matches are ordered: {@code semver}, {@code numeric}, {@code
 *     alphabetical}
 * @param includePrerelease for {@code semver}: every pre-release in the range qualifies, not only
 *     those of a version the range names a pre-release of (node-semver's option of that name)
 */
public record PolicySpec(
    Kind kind,
    Optional<String> semver,
    Optional<String> pattern,
    Optional<String> order,
    boolean includePrerelease) {

  /** A policy with node-semver's default for pre-releases. */
  public PolicySpec(
      Kind kind, Optional<String> semver, Optional<String> pattern, Optional<String> order) {
    this(kind, semver, pattern, order, false);
  }

  public enum Kind {
    DIGEST,
    SEMVER,
    PATTERN,
    NONE;

    /** Parses the lower-case form used in specs and annotations. */
    public static Kind parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown update policy \"" + value + "\": use digest, semver, pattern or none");
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static PolicySpec digest() {
    return new PolicySpec(Kind.DIGEST, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** True for policies that pick among tags rather than follow the current one. */
  public boolean choosesTags() {
    return kind == Kind.SEMVER || kind == Kind.PATTERN;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SEMVER ->
          "semver " + semver.orElse("?") + (includePrerelease ? " with pre-releases" : "");
      case PATTERN -> "pattern " + pattern.orElse("?") + order.map(o -> " by " + o).orElse("");
      default -> kind.toString();
    };
  }
}
