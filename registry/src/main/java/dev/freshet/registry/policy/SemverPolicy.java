package dev.freshet.registry.policy;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The newest tag within a range written as for npm or Helm ({@code ~1.4}, {@code ^2}, {@code 1.x},
 * {@code >=1.2 <2}, {@code 1.2 - 1.4}, {@code ^1 || ^2}; see {@link SemverRange}), keeping the
 * current tag's variant: from {@code 1.4-alpine} only {@code …-alpine} tags qualify. A pre-release
 * qualifies as node-semver decides: when the range names a pre-release of the same {@code
 * major.minor.patch}, or always with {@code includePrerelease}. A leading {@code v} is allowed;
 * among equal versions the tag spelled like the current one (with or without {@code v}) wins, then
 * the more specific one.
 */
public record SemverPolicy(String range, boolean includePrerelease) implements UpdatePolicy {
  public SemverPolicy {
    Objects.requireNonNull(range, "range");
    SemverRange.parse(range, includePrerelease); // validates
  }

  /** A policy with node-semver's default for pre-releases. */
  public SemverPolicy(String range) {
    this(range, false);
  }

  /**
   * Checks a user's range the way the policy will read it.
   *
   * @throws IllegalArgumentException saying which part is not a range
   */
  public static void validate(String range) {
    SemverRange.parse(range, false);
  }

  @Override
  public List<String> candidates(String currentTag, Collection<String> tags) {
    SemverRange allowed = SemverRange.parse(range, includePrerelease);
    Optional<VersionTag> current = VersionTag.parse(currentTag);
    String variant = current.map(VersionTag::variant).orElse("");
    boolean preferV = current.map(VersionTag::vPrefix).orElse(false);
    return tags.stream()
        .distinct()
        .map(VersionTag::parse)
        .flatMap(Optional::stream)
        .filter(t -> t.variant().equals(variant))
        .filter(t -> allowed.test(t.version()))
        .filter(t -> current.isEmpty() || t.isNewerThan(current.get()))
        .sorted(
            Comparator.comparing(VersionTag::version)
                .reversed()
                .thenComparing(t -> t.vPrefix() != preferV)
                .thenComparing(VersionTag.NEWEST_FIRST))
        .map(VersionTag::tag)
        .toList();
  }

  @Override
  public boolean needsTagList() {
    return true;
  }
}
