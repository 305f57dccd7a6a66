package dev.freshet.registry.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * A version range read the way node-semver (npm, Helm) reads it without its {@code loose} option:
 * sets of comparators joined by {@code ||}, each set an AND of space-separated comparators, with
 * {@code x}/{@code X}/{@code *} wildcards and partial versions ({@code 1}, {@code 1.2}, {@code
 * 1.2.x}), hyphen ranges ({@code 1.2 - 2}), tilde ({@code ~}, {@code ~>}) and caret ranges, an
 * optional {@code v} before a version and {@code =} as an operator. Build metadata is ignored.
 *
 * <p>semver4j 6.0.0's own ranges cannot serve: it reads a lone {@code x} and {@code 1.0.0 - x} as
 * {@code <0.0.0}, refuses an AND of a caret and another comparator ({@code ^1.2 ^1}), and has no
 * node-style pre-release rule. So ranges are parsed here, desugared as node-semver 7.8.5 does
 * ({@code classes/range.js}), and only versions and their ordering come from semver4j.
 *
 * <p>Pre-releases: by default a version such as {@code 1.2.3-rc.1} satisfies a set only when one of
 * its comparators names a pre-release of the same {@code 1.2.3}, so {@code >=1.2.3-rc.0 <2} lets
 * release candidates of 1.2.3 in and no others. With {@code includePrerelease}, pre-releases are
 * ordinary versions, and ranges widen to take the pre-releases of their lower bound ({@code 2.x}
 * takes {@code 2.0.0-rc.1}).
 *
 * <p>Refused rather than guessed (node-semver's {@code loose} forms): a pre-release without its
 * hyphen ({@code 1.2.3beta}), numbers with leading zeros, {@code ==}, a wildcard before a number
 * ({@code 1.x.3}), a pre-release on a partial version ({@code 1.2.x-rc}), and any word that is not
 * a comparator, where node-semver's loose mode would drop it silently.
 */
final class SemverRange {

  private enum Operator {
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    EQ("=");

    final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    boolean admits(int comparison) {
      return switch (this) {
        case LT -> comparison < 0;
        case LE -> comparison <= 0;
        case GT -> comparison > 0;
        case GE -> comparison >= 0;
        case EQ -> comparison == 0;
      };
    }
  }

  /** One bound: a version satisfies it when {@code version <operator> bound}. */
  private record Comparator(Operator operator, Semver bound) {
    boolean test(Semver version) {
      return operator.admits(version.compareTo(bound));
    }

    @Override
    public String toString() {
      return operator.symbol + bound.getVersion();
    }
  }

  /** Identifiers of semver 2.0.0: numbers without leading zeros, at most 9 digits to fit an int. */
  private static final String NUMBER = "0|[1-9]\\d{0,8}";

  private static final String WILDCARD_OR_NUMBER = NUMBER + "|[xX*]";
  private static final String PRE_RELEASE_IDENTIFIER = "\\d*[a-zA-Z-][a-zA-Z0-9-]*|0|[1-9]\\d*";
  private static final String BUILD_IDENTIFIER = "[0-9a-zA-Z-]+";

  /** {@code v1}, {@code 1.x}, {@code 1.2.*}, {@code 1.2.3-rc.1+build}. */
  private static final String PARTIAL =
      "v?("
          + WILDCARD_OR_NUMBER
          + ")(?:\\.("
          + WILDCARD_OR_NUMBER
          + ")(?:\\.("
          + WILDCARD_OR_NUMBER
          + ")(?:-((?:"
          + PRE_RELEASE_IDENTIFIER
          + ")(?:\\.(?:"
          + PRE_RELEASE_IDENTIFIER
          + "))*))?)?)?(?:\\+"
          + BUILD_IDENTIFIER
          + "(?:\\."
          + BUILD_IDENTIFIER
          + ")*)?";

  private static final Pattern HYPHEN = Pattern.compile("(" + PARTIAL + ") - (" + PARTIAL + ")");
  // The second version's group: after the first version's group and the 4 groups inside it.
  private static final int HYPHEN_TO = 6;

  private static final Pattern COMPARATOR =
      Pattern.compile("(~>?|\\^|<=|>=|<|>|=)? ?(" + PARTIAL + ")");

  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** The longest range read, as the App CRD and the annotations allow. */
  static final int MAX_LENGTH = 256;

  private final List<List<Comparator>> sets;
  private final boolean includePrerelease;

  private SemverRange(List<List<Comparator>> sets, boolean includePrerelease) {
    this.sets = sets;
    this.includePrerelease = includePrerelease;
  }

  /**
   * Reads a range. An empty range, like {@code *}, admits every release.
   *
   * @throws IllegalArgumentException naming the part that is not a range
   */
  static SemverRange parse(String range, boolean includePrerelease) {
    if (range.length() > MAX_LENGTH) {
      // The grammar's regular expressions recurse per repetition: 40,000 characters overflowed the
      // stack and a long run of words took seconds. Specs and annotations allow 256.
      throw new IllegalArgumentException(
          "\""
              + range.substring(0, 40)
              + "…\" is not a semver range: it is "
              + range.length()
              + " characters long, at most "
              + MAX_LENGTH);
    }
    String normalized = SPACES.matcher(range.trim()).replaceAll(" ");
    List<List<Comparator>> sets = new ArrayList<>();
    for (String set : normalized.split("\\|\\|", -1)) {
      sets.add(parseSet(set.trim(), includePrerelease, range));
    }
    return new SemverRange(List.copyOf(sets), includePrerelease);
  }

  /** Whether {@code version} satisfies every comparator of at least one set. */
  boolean test(Semver version) {
    return sets.stream().anyMatch(set -> testSet(set, version));
  }

  private boolean testSet(List<Comparator> set, Semver version) {
    if (!set.stream().allMatch(c -> c.test(version))) {
      return false;
    }
    if (version.getPreRelease().isEmpty() || includePrerelease) {
      return true;
    }
    // node-semver's rule: ^1.2.3-rc.1 lets 1.2.3-rc.2 in, but not 1.2.4-alpha, even though it lies
    // between the bounds: someone who opted into one pre-release did not opt into all of them.
    return set.stream()
        .map(Comparator::bound)
        .anyMatch(
            bound ->
                !bound.getPreRelease().isEmpty()
                    && bound.getMajor() == version.getMajor()
                    && bound.getMinor() == version.getMinor()
                    && bound.getPatch() == version.getPatch());
  }

  @Override
  public String toString() {
    return String.join(
        " || ",
        sets.stream()
            .map(set -> String.join(" ", set.stream().map(Comparator::toString).toList()))
            .toList());
  }

  private static List<Comparator> parseSet(String set, boolean includePrerelease, String range) {
    List<Comparator> comparators = new ArrayList<>();
    Matcher hyphen = HYPHEN.matcher(set);
    if (hyphen.matches()) {
      Partial from = Partial.of(hyphen, 1, range);
      Partial to = Partial.of(hyphen, HYPHEN_TO, range);
      hyphenRange(from, to, includePrerelease, comparators);
      return comparators;
    }
    Matcher m = COMPARATOR.matcher(set);
    int at = 0;
    while (at < set.length()) {
      m.region(at, set.length());
      if (!m.lookingAt() || (m.end() < set.length() && set.charAt(m.end()) != ' ')) {
        throw new IllegalArgumentException(
            "\""
                + range
                + "\" is not a semver range: cannot read \""
                + word(set, at)
                + "\""
                + HINT);
      }
      String operator = m.group(1) == null ? "" : m.group(1);
      Partial version = Partial.of(m, 2, range);
      switch (operator) {
        case "~", "~>" -> tilde(version, includePrerelease, comparators);
        case "^" -> caret(version, includePrerelease, comparators);
        default -> xRange(operator, version, includePrerelease, comparators);
      }
      at = m.end() + 1;
    }
    return comparators;
  }

  private static final String HINT = " (examples: ~1.4, ^2, 1.x, >=1.2 <2, 1.2 - 1.4, ^1 || ^2)";

  private static String word(String set, int at) {
    int end = set.indexOf(' ', at);
    return set.substring(at, end < 0 ? set.length() : end);
  }

  /**
   * A version in a range: each of its numbers may be missing or a wildcard, read as null. Only a
   * version with all three numbers may name a pre-release.
   */
  private record Partial(Integer major, Integer minor, Integer patch, String preRelease) {
    static Partial of(Matcher m, int group, String range) {
      String text = m.group(group);
      Integer major = number(m.group(group + 1));
      Integer minor = number(m.group(group + 2));
      Integer patch = number(m.group(group + 3));
      String preRelease = m.group(group + 4);
      if ((major == null && m.group(group + 2) != null && minor != null)
          || (minor == null && m.group(group + 3) != null && patch != null)) {
        throw new IllegalArgumentException(
            "\""
                + range
                + "\" is not a semver range: in \""
                + text
                + "\" a number follows a wildcard");
      }
      if (preRelease != null && patch == null) {
        throw new IllegalArgumentException(
            "\""
                + range
                + "\" is not a semver range: the pre-release in \""
                + text
                + "\" needs a version with three numbers");
      }
      return new Partial(major, minor, patch, preRelease);
    }

    private static Integer number(String identifier) {
      return identifier == null || identifier.matches("[xX*]") ? null : Integer.valueOf(identifier);
    }

    boolean anyWildcard() {
      return major == null || minor == null || patch == null;
    }
  }

  private static Semver version(int major, int minor, int patch, String preRelease) {
    String core = major + "." + minor + "." + patch;
    return Semver.parse(preRelease == null ? core : core + "-" + preRelease);
  }

  /** The lowest version of {@code M.m.p}: {@code M.m.p-0} when pre-releases count, else itself. */
  private static Semver lowest(int major, int minor, int patch, boolean includePrerelease) {
    return version(major, minor, patch, includePrerelease ? "0" : null);
  }

  /** Below every pre-release of {@code M.m.p}: {@code <2.0.0-0} keeps {@code 2.0.0-rc} out. */
  private static Semver below(int major, int minor, int patch) {
    return version(major, minor, patch, "0");
  }

  private static void add(List<Comparator> into, Operator operator, Semver bound) {
    into.add(new Comparator(operator, bound));
  }

  /** {@code 1.2.3}, {@code >=1.2}, {@code <1.x}, {@code =1}, {@code *}: as replaceXRange does. */
  private static void xRange(
      String operator, Partial v, boolean includePrerelease, List<Comparator> into) {
    if (!v.anyWildcard()) {
      Operator op =
          switch (operator) {
            case "<" -> Operator.LT;
            case "<=" -> Operator.LE;
            case ">" -> Operator.GT;
            case ">=" -> Operator.GE;
            default -> Operator.EQ;
          };
      add(into, op, version(v.major(), v.minor(), v.patch(), v.preRelease()));
      return;
    }
    if (v.major() == null) {
      if (operator.equals("<") || operator.equals(">")) {
        add(into, Operator.LT, below(0, 0, 0)); // nothing is below or above every version
      }
      return; // any version
    }
    int major = v.major();
    boolean minorWildcard = v.minor() == null;
    int minor = minorWildcard ? 0 : v.minor();
    switch (operator) {
      case ">" -> // >1 is >=2.0.0, >1.2 is >=1.3.0
          add(
              into,
              Operator.GE,
              minorWildcard
                  ? lowest(major + 1, 0, 0, includePrerelease)
                  : lowest(major, minor + 1, 0, includePrerelease));
      case ">=" -> add(into, Operator.GE, lowest(major, minor, 0, includePrerelease));
      case "<" -> add(into, Operator.LT, below(major, minor, 0));
      case "<=" -> // <=1.2.x admits every 1.2.x: it is <1.3.0-0
          add(
              into,
              Operator.LT,
              minorWildcard ? below(major + 1, 0, 0) : below(major, minor + 1, 0));
      default -> { // 1.x, =1.2.x
        add(into, Operator.GE, lowest(major, minor, 0, includePrerelease));
        add(into, Operator.LT, minorWildcard ? below(major + 1, 0, 0) : below(major, minor + 1, 0));
      }
    }
  }

  /** {@code ~1.2.3} is {@code >=1.2.3 <1.3.0-0}; {@code ~1} is {@code >=1.0.0 <2.0.0-0}. */
  private static void tilde(Partial v, boolean includePrerelease, List<Comparator> into) {
    if (v.major() == null) {
      return;
    }
    int major = v.major();
    if (v.minor() == null) {
      add(into, Operator.GE, lowest(major, 0, 0, includePrerelease));
      add(into, Operator.LT, below(major + 1, 0, 0));
      return;
    }
    int minor = v.minor();
    add(
        into,
        Operator.GE,
        v.patch() == null
            ? lowest(major, minor, 0, includePrerelease)
            : version(major, minor, v.patch(), v.preRelease()));
    add(into, Operator.LT, below(major, minor + 1, 0));
  }

  /**
   * {@code ^1.2.3} is {@code >=1.2.3 <2.0.0-0}; below 1.0.0 the first non-zero number is the one
   * that must not change: {@code ^0.2.3} is {@code <0.3.0-0}, {@code ^0.0.3} is {@code <0.0.4-0}.
   */
  private static void caret(Partial v, boolean includePrerelease, List<Comparator> into) {
    if (v.major() == null) {
      return;
    }
    int major = v.major();
    if (v.minor() == null) {
      add(into, Operator.GE, lowest(major, 0, 0, includePrerelease));
      add(into, Operator.LT, below(major + 1, 0, 0));
      return;
    }
    int minor = v.minor();
    if (v.patch() == null) {
      add(into, Operator.GE, lowest(major, minor, 0, includePrerelease));
      add(into, Operator.LT, major == 0 ? below(0, minor + 1, 0) : below(major + 1, 0, 0));
      return;
    }
    int patch = v.patch();
    add(into, Operator.GE, version(major, minor, patch, v.preRelease()));
    add(
        into,
        Operator.LT,
        major != 0
            ? below(major + 1, 0, 0)
            : minor != 0 ? below(0, minor + 1, 0) : below(0, 0, patch + 1));
  }

  /**
   * {@code 1.2.3 - 2.3.4} is {@code >=1.2.3 <=2.3.4}; a partial upper end admits all it stands for:
   * {@code 1.2 - 2.3} is {@code >=1.2.0 <2.4.0-0}.
   */
  private static void hyphenRange(
      Partial from, Partial to, boolean includePrerelease, List<Comparator> into) {
    if (from.major() != null) {
      add(
          into,
          Operator.GE,
          from.patch() != null && from.preRelease() != null
              ? version(from.major(), from.minor(), from.patch(), from.preRelease())
              : lowest(
                  from.major(),
                  from.minor() == null ? 0 : from.minor(),
                  from.patch() == null ? 0 : from.patch(),
                  includePrerelease));
    }
    if (to.major() == null) {
      return;
    }
    if (to.minor() == null) {
      add(into, Operator.LT, below(to.major() + 1, 0, 0));
    } else if (to.patch() == null) {
      add(into, Operator.LT, below(to.major(), to.minor() + 1, 0));
    } else if (to.preRelease() != null) {
      add(into, Operator.LE, version(to.major(), to.minor(), to.patch(), to.preRelease()));
    } else if (includePrerelease) {
      add(into, Operator.LT, below(to.major(), to.minor(), to.patch() + 1));
    } else {
      add(into, Operator.LE, version(to.major(), to.minor(), to.patch(), null));
    }
  }
}
