package dev.freshet.registry.policy;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Tags matching a regular expression, ordered by what one named group captures: e.g.
 * {@code ^main-(?<build>\d+)-[0-9a-f]{7}$} ordered {@link TagOrdering#NUMERIC} by {@code build}. The
 * whole tag must match. From a current tag that matches, only higher keys qualify; from one that does
 * not (say {@code latest}), every matching tag does.
 */
public record PatternPolicy(String regex, String group, TagOrdering ordering)
    implements UpdatePolicy {
  public PatternPolicy {
    Objects.requireNonNull(regex, "regex");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(ordering, "ordering");
    compile(regex, group);
  }

  private static Pattern compile(String regex, String group) {
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid tag pattern: " + e.getDescription() + " in " + regex);
    }
    // Java 17 cannot list a pattern's groups; the group syntax is unambiguous enough to look for.
    if (!regex.contains("(?<" + group + ">")) {
      throw new IllegalArgumentException(
          "tag pattern " + regex + " has no named group (?<" + group + ">…)");
    }
    return pattern;
  }

  private record Keyed(String tag, Comparable<?> key) {}

  @Override
  public List<String> candidates(String currentTag, Collection<String> tags) {
    Pattern pattern = compile(regex, group);
    Optional<Comparable<?>> currentKey = key(pattern, currentTag);
    return tags.stream()
        .distinct()
        .flatMap(tag -> key(pattern, tag).map(k -> new Keyed(tag, k)).stream())
        .filter(k -> currentKey.isEmpty() || TagOrdering.KEYS.compare(k.key(), currentKey.get()) > 0)
        .sorted(
            Comparator.comparing(Keyed::key, TagOrdering.KEYS)
                .reversed()
                .thenComparing(Keyed::tag))
        .map(Keyed::tag)
        .toList();
  }

  private Optional<Comparable<?>> key(Pattern pattern, String tag) {
    Matcher m = pattern.matcher(tag);
    if (!m.matches() || m.group(group) == null) {
      return Optional.empty();
    }
    return ordering.key(m.group(group));
  }

  @Override
  public boolean needsTagList() {
    return true;
  }
}
