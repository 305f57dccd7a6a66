package dev.freshet.registry.policy;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * A tag read as a version the way image tags are written: an optional {@code v}, one to three
 * numbers, then an optional suffix that is a pre-release ({@code -rc.1}), a variant ({@code
 * -alpine}), or both ({@code -rc1-alpine}). The variant is what semver tools would "coerce" away
 * and what must never be lost: {@code 1.4-alpine} must follow {@code 1.4.x-alpine}, never plain
 * {@code 1.5}.
 */
record VersionTag(
    String tag,
    boolean vPrefix,
    int components,
    Semver version,
    String preRelease,
    String variant) {

  private static final Pattern SHAPE =
      Pattern.compile(
          "([vV])?(\\d{1,9})(?:\\.(\\d{1,9}))?(?:\\.(\\d{1,9}))?(?:-([0-9A-Za-z][0-9A-Za-z._-]*))?");
  // Words image publishers use for pre-releases, with an optional number: rc1, rc.1, beta-2, alpha.
  private static final Pattern PRE_RELEASE =
      Pattern.compile(
          "((?:alpha|beta|rc|pre|preview|milestone|snapshot|m(?=\\d))(?:[.-]?\\d+)*)(?:-(.+))?",
          Pattern.CASE_INSENSITIVE);

  /** Release before pre-release at equal numbers; then the more specific tag; then by name. */
  static final Comparator<VersionTag> NEWEST_FIRST =
      Comparator.comparing(VersionTag::version)
          .thenComparingInt(VersionTag::components)
          .reversed()
          .thenComparing(VersionTag::tag);

  static Optional<VersionTag> parse(String tag) {
    Matcher m = SHAPE.matcher(tag);
    if (!m.matches()) {
      return Optional.empty();
    }
    int components = m.group(4) != null ? 3 : m.group(3) != null ? 2 : 1;
    String suffix = m.group(5) == null ? "" : m.group(5);
    String preRelease = "";
    String variant = suffix;
    Matcher pre = PRE_RELEASE.matcher(suffix);
    if (pre.matches()) {
      preRelease = pre.group(1);
      variant = pre.group(2) == null ? "" : pre.group(2);
    }
    String core =
        Integer.parseInt(m.group(2))
            + "."
            + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)))
            + "."
            + (m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
    Semver version = Semver.parse(preRelease.isEmpty() ? core : core + "-" + preRelease);
    if (version == null) {
      return Optional.empty(); // e.g. a pre-release number with a leading zero
    }
    return Optional.of(
        new VersionTag(tag, m.group(1) != null, components, version, preRelease, variant));
  }

  boolean isNewerThan(VersionTag other) {
    return version.compareTo(other.version) > 0;
  }
}
