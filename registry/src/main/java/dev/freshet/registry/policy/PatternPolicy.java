package dev.freshet.registry.policy;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tags matching a regular expression, ordered by what one named group captures: e.g. {@code
 * ^main-(?<build>\d+)-[0-9a-f]{7}$} ordered {@link TagOrdering#NUMERIC} by {@code build}. The whole
 * tag must match. From a current tag that matches, only higher keys qualify; from one that does not
 * (say {@code latest}), every matching tag does.
 *
 * <p>Patterns are written by users and run against tags from registries, so they run on RE2 (RE2J),
 * whose matching time is linear in the tag: a pattern such as {@code (.*a){12}} that backtracks for
 * hours in {@code java.util.regex} takes microseconds here. RE2 is also what CEL's {@code
 * matches()} speaks, so the API server and the operator agree on what a pattern means. The price is
 * that backreferences and lookaround are refused, with a message saying so.
 */
public record PatternPolicy(String regex, String group, TagOrdering ordering)
    implements UpdatePolicy {

  /**
   * Bounds the compiled program. RE2's matching time is linear in the tag times the program, and
   * nested counted repetitions such as {@code ((a{100}){100}){100}} compile to a million
   * instructions; real tag patterns stay in the hundreds.
   */
  static final int MAX_PROGRAM_SIZE = 5_000;

  public PatternPolicy {
    Objects.requireNonNull(regex, "regex");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(ordering, "ordering");
    Pattern pattern = compile(regex);
    if (!pattern.namedGroups().containsKey(group)) {
      throw new IllegalArgumentException(
          "tag pattern " + regex + " has no named group (?<" + group + ">…)");
    }
  }

  /** The policy ordered by the first named group of {@code regex}, the one a user means. */
  public static PatternPolicy byFirstNamedGroup(String regex, TagOrdering ordering) {
    return new PatternPolicy(regex, firstNamedGroup(compile(regex)), ordering);
  }

  /**
   * Checks a user's pattern the way the policy will run it.
   *
   * @throws IllegalArgumentException saying what is wrong: RE2 syntax, size, or no named group
   */
  public static void validate(String regex) {
    firstNamedGroup(compile(regex));
  }

  private static Pattern compile(String regex) {
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid tag pattern: "
              + e.getDescription()
              + " in "
              + regex
              + " (patterns are RE2: no backreferences or lookaround)");
    }
    if (pattern.programSize() > MAX_PROGRAM_SIZE) {
      throw new IllegalArgumentException(
          "tag pattern " + regex + " is too complex: write fewer or smaller counted repetitions");
    }
    return pattern;
  }

  private static String firstNamedGroup(Pattern pattern) {
    return pattern.namedGroups().entrySet().stream()
        .min(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "tag pattern "
                        + pattern.pattern()
                        + " needs a named group that says what to order by, such as"
                        + " (?<build>[0-9]+)"));
  }

  private record Keyed(String tag, Comparable<?> key) {}

  @Override
  public List<String> candidates(String currentTag, Collection<String> tags) {
    Pattern pattern = compile(regex);
    Optional<Comparable<?>> currentKey = key(pattern, currentTag);
    return tags.stream()
        .distinct()
        .flatMap(tag -> key(pattern, tag).map(k -> new Keyed(tag, k)).stream())
        .filter(
            k -> currentKey.isEmpty() || TagOrdering.KEYS.compare(k.key(), currentKey.get()) > 0)
        .sorted(
            Comparator.comparing(Keyed::key, TagOrdering.KEYS).reversed().thenComparing(Keyed::tag))
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
