package dev.freshet.registry.policy;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.semver4j.range.RangeList;
import org.semver4j.range.RangeListFactory;

/**
 * The newest tag within an npm-style range ({@code ~1.4}, {@code ^2}, {@code >=1.2 <2}), keeping the
 * current tag's variant: from {@code 1.4-alpine} only {@code …-alpine} tags qualify. Pre-releases
 * qualify only when asked for. A leading {@code v} is allowed; among equal versions the tag spelled
 * like the current one (with or without {@code v}) wins, then the more specific one.
 */
public record SemverPolicy(String range, boolean includePreReleases) implements UpdatePolicy {
  public SemverPolicy {
    Objects.requireNonNull(range, "range");
    rangeList(range, includePreReleases); // validates
  }

  /** A release-only policy. */
  public SemverPolicy(String range) {
    this(range, false);
  }

  private static RangeList rangeList(String range, boolean includePreReleases) {
    RangeList list;
    try {
      list = RangeListFactory.create(range.trim(), includePreReleases);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("\"" + range + "\" is not a semver range: " + e.getMessage());
    }
    // semver4j turns text it cannot read into an empty list that nothing satisfies.
    if (list.get().isEmpty()) {
      throw new IllegalArgumentException(
          "\"" + range + "\" is not a semver range (examples: ~1.4, ^2, >=1.2 <2)");
    }
    return list;
  }

  @Override
  public List<String> candidates(String currentTag, Collection<String> tags) {
    RangeList allowed = rangeList(range, includePreReleases);
    Optional<VersionTag> current = VersionTag.parse(currentTag);
    String variant = current.map(VersionTag::variant).orElse("");
    boolean preferV = current.map(VersionTag::vPrefix).orElse(false);
    return tags.stream()
        .distinct()
        .map(VersionTag::parse)
        .flatMap(Optional::stream)
        .filter(t -> t.variant().equals(variant))
        .filter(t -> includePreReleases || !t.isPreRelease())
        .filter(t -> allowed.isSatisfiedBy(t.version()))
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
