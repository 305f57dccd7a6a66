package dev.freshet.receive.auth.oidc;

import dev.freshet.receive.ImageNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The images a rule lets a pipeline announce: {@code registry/repository:tag}, where {@code *} may
 * stand for a whole path segment of the repository (exactly one segment: {@code ghcr.io/org/*:dev})
 * or for any run of characters in the tag ({@code :*}, {@code :v1.*}, {@code :main-*}). The
 * registry host is always literal: a pattern must never let a pipeline announce images of another
 * registry. Names are normalised as Docker does ({@code nginx} is {@code docker.io/library/nginx}),
 * so a pattern matches however the notification spells the name. The tag is required ({@code :*}
 * for any), so that "any tag" is always written down.
 */
public final class ImagePattern {

  private static final String WILDCARD_STAND_IN = "x";
  private static final Pattern TAG_PATTERN = Pattern.compile("[\\w*][\\w.*-]{0,127}");
  private static final Pattern TAG_CHARACTERS = Pattern.compile("[\\w.-]*");

  private final String text;
  private final String registry;
  private final List<String> segments;
  private final String tag;

  private ImagePattern(String text, String registry, List<String> segments, String tag) {
    this.text = text;
    this.registry = registry;
    this.segments = List.copyOf(segments);
    this.tag = tag;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static ImagePattern parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("an image pattern must not be empty");
    }
    int slash = text.lastIndexOf('/');
    int colon = text.lastIndexOf(':');
    if (colon <= slash || text.contains("@")) {
      throw new IllegalArgumentException(
          "'" + text + "' has no tag: write registry/repository:tag, with :* for any tag");
    }
    String name = text.substring(0, colon);
    String tagText = text.substring(colon + 1);
    if (!TAG_PATTERN.matcher(tagText).matches()) {
      throw new IllegalArgumentException(
          "'" + tagText + "' in '" + text + "' is not a tag (letters, digits, _ . - and *)");
    }
    // '*' stands for a whole segment only; validate the name with a plain segment in its place.
    String[] given = name.split("/", -1);
    List<Integer> wildcards = new ArrayList<>();
    StringBuilder standIn = new StringBuilder();
    for (int i = 0; i < given.length; i++) {
      if (given[i].equals("*")) {
        wildcards.add(i);
      } else if (given[i].contains("*")) {
        throw new IllegalArgumentException(
            "'" + text + "': * may only be a whole path segment or part of the tag");
      }
      standIn.append(i == 0 ? "" : "/").append(given[i].equals("*") ? WILDCARD_STAND_IN : given[i]);
    }
    ImageNames.Name parsed;
    try {
      parsed = ImageNames.split(standIn.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
    }
    List<String> segments = new ArrayList<>(List.of(parsed.repository().split("/")));
    // The repository's segments end with the given ones (Docker Hub may have added "library/").
    int offset = segments.size() - given.length;
    for (int index : wildcards) {
      if (index + offset < 0) {
        // The host position: a host is never a wildcard, and "*" does not look like one.
        throw new IllegalArgumentException("'" + text + "': the registry host cannot be *");
      }
      segments.set(index + offset, "*");
    }
    return new ImagePattern(text, parsed.registry(), segments, tagText);
  }

  /**
   * Matches a tag against the pattern's tag, where {@code *} is any run of tag characters.
   *
   * <p>Not a regular expression: {@code [\w.-]*} per star backtracks polynomially in the number of
   * stars ({@code :**********7} against a long tag ran for minutes), and a policy's pattern must
   * never hang the receiver. This is the greedy wildcard match, which keeps only the last star's
   * position: it takes at most (tag length × pattern length) steps, whatever the pattern.
   */
  static boolean tagMatches(String glob, String tag) {
    if (!TAG_CHARACTERS.matcher(tag).matches()) {
      return false; // a star stands for tag characters only, and literals are tag characters
    }
    int g = 0;
    int t = 0;
    int lastStar = -1;
    int resumeAt = 0;
    while (t < tag.length()) {
      if (g < glob.length() && glob.charAt(g) == '*') {
        lastStar = g++;
        resumeAt = t;
      } else if (g < glob.length() && glob.charAt(g) == tag.charAt(t)) {
        g++;
        t++;
      } else if (lastStar >= 0) {
        // Let the last star take one more character and retry what follows it.
        g = lastStar + 1;
        t = ++resumeAt;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }

  /**
   * True if the image is one this pattern allows.
   *
   * @param registry canonical registry host, as {@link ImageNames#split} gives it
   * @param repository the repository path, as {@link ImageNames#split} gives it
   */
  public boolean matches(String registry, String repository, String tag) {
    if (!this.registry.equals(registry)) {
      return false;
    }
    String[] names = repository.split("/", -1);
    if (names.length != segments.size()) {
      return false;
    }
    for (int i = 0; i < names.length; i++) {
      if (!segments.get(i).equals("*") && !segments.get(i).equals(names[i])) {
        return false;
      }
    }
    return tagMatches(this.tag, tag);
  }

  @Override
  public String toString() {
    return text;
  }
}
