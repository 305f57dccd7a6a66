package dev.freshet.registry.policy;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * How a workload's next image is chosen (DESIGN.md): {@code digest}, {@code semver}, {@code
 * pattern} or {@code none}. Pure functions of the current tag and the registry's tag list; no I/O.
 */
public sealed interface UpdatePolicy permits DigestPolicy, SemverPolicy, PatternPolicy, NonePolicy {

  /**
   * Tags this policy would move to from {@code currentTag}, best first; never an older version than
   * the current one. The caller walks the list to skip a candidate that, say, lacks the workload's
   * platform.
   */
  List<String> candidates(String currentTag, Collection<String> tags);

  /**
   * The tag the workload should run: the best candidate, else the current tag. Empty when the
   * policy never changes anything ({@code none}).
   */
  default Optional<String> select(String currentTag, Collection<String> tags) {
    List<String> candidates = candidates(currentTag, tags);
    return Optional.of(candidates.isEmpty() ? currentTag : candidates.get(0));
  }

  /** Whether the registry's tag list is needed at all (digest and none do without it). */
  boolean needsTagList();
}
