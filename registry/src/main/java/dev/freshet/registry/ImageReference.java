package dev.freshet.registry;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference, normalised the way the container ecosystem does it (CNCF distribution's
 * {@code reference.ParseNormalizedNamed}): {@code nginx} is {@code docker.io/library/nginx}, {@code
 * index.docker.io/x/y} is {@code docker.io/x/y}, and the first path element is a registry host only
 * if it is {@code localhost}, contains a '.' or ':', or has an uppercase letter.
 *
 * <p>A reference may carry a tag, a digest, both (the form Freshet pins: {@code repo:tag@sha256:…})
 * or neither (then {@link #tagOrLatest()} says {@code latest}, as Docker does).
 *
 * <p>Parsing is hand-split rather than one big regular expression: each part is then checked with a
 * small anchored pattern, so the error message can say which part is wrong and no input can make
 * the matcher backtrack for long.
 */
public final class ImageReference {
  /** Docker Hub's canonical name in references; its API lives elsewhere (see RegistryHosts). */
  public static final String DOCKER_HUB = "docker.io";

  static final int NAME_MAX_LENGTH = 255;
  static final int TAG_MAX_LENGTH = 128;
  private static final String LEGACY_DOCKER_HUB = "index.docker.io";
  private static final String OFFICIAL_PREFIX = "library/";

  private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");
  private static final String DOMAIN_COMPONENT = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
  // Hostname or dotted IPv4, or an IPv6 address in brackets (no zone, no embedded IPv4), then a
  // port.
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:"
              + DOMAIN_COMPONENT
              + "(?:\\."
              + DOMAIN_COMPONENT
              + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  // Lowercase alphanumerics separated by one '.', one or two '_', or any number of '-'.
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private final String registry;
  private final String repository;
  private final String tag;
  private final Digest digest;

  private ImageReference(String registry, String repository, String tag, Digest digest) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses and normalises a reference.
   *
   * @throws InvalidReferenceException saying which part is wrong; never anything else
   */
  public static ImageReference parse(String input) {
    Objects.requireNonNull(input, "input");
    if (input.isEmpty()) {
      throw new InvalidReferenceException(input, "reference is empty");
    }
    if (IMAGE_ID.matcher(input).matches()) {
      throw new InvalidReferenceException(
          input, "a 64-character hexadecimal string is an image ID, not a repository name");
    }
    String rest = input;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Digest.parse(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.indexOf(':', rest.lastIndexOf('/') + 1);
    if (colon >= 0) {
      tag = checkTag(input, rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty()) {
      throw new InvalidReferenceException(input, "repository name is missing");
    }
    String registry;
    String path;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? null : rest.substring(0, slash);
    if (first != null && looksLikeRegistry(first)) {
      registry = first.equals(LEGACY_DOCKER_HUB) ? DOCKER_HUB : first;
      path = rest.substring(slash + 1);
      if (!DOMAIN.matcher(registry).matches()) {
        throw new InvalidReferenceException(
            input,
            "registry \""
                + first
                + "\" is not a host name, IPv4 address or bracketed IPv6 address with an"
                + " optional port");
      }
    } else {
      registry = DOCKER_HUB;
      path = rest;
    }
    if (registry.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
      path = OFFICIAL_PREFIX + path;
    }
    int nameLength = registry.length() + 1 + path.length();
    if (nameLength > NAME_MAX_LENGTH) {
      throw new InvalidReferenceException(
          input,
          "repository name "
              + registry
              + "/… is "
              + nameLength
              + " characters long; at most "
              + NAME_MAX_LENGTH
              + " are allowed");
    }
    checkPath(input, path);
    return new ImageReference(registry, path, tag, digest);
  }

  /**
   * Whether {@code tag} can be a reference's tag. A registry's tag list is not checked by anyone
   * before it reaches us, and a tag no reference can name must never be chosen.
   */
  public static boolean isTag(String tag) {
    return tag != null
        && !tag.isEmpty()
        && tag.length() <= TAG_MAX_LENGTH
        && TAG.matcher(tag).matches();
  }

  private static boolean looksLikeRegistry(String first) {
    return first.equals("localhost")
        || first.indexOf('.') >= 0
        || first.indexOf(':') >= 0
        || !first.toLowerCase(Locale.ROOT).equals(first);
  }

  private static String checkTag(String input, String tag) {
    if (tag.isEmpty()) {
      throw new InvalidReferenceException(input, "tag after ':' is empty");
    }
    if (tag.length() > TAG_MAX_LENGTH) {
      throw new InvalidReferenceException(
          input,
          "tag is "
              + tag.length()
              + " characters long; at most "
              + TAG_MAX_LENGTH
              + " are allowed");
    }
    if (!TAG.matcher(tag).matches()) {
      throw new InvalidReferenceException(
          input,
          "tag \""
              + tag
              + "\" must start with a letter, digit or '_' and contain only letters, digits, '_', '.'"
              + " and '-'");
    }
    return tag;
  }

  private static void checkPath(String input, String path) {
    for (String component : path.split("/", -1)) {
      if (component.isEmpty()) {
        throw new InvalidReferenceException(input, "repository path has an empty component");
      }
      if (PATH_COMPONENT.matcher(component).matches()) {
        continue;
      }
      if (PATH_COMPONENT.matcher(component.toLowerCase(Locale.ROOT)).matches()) {
        throw new InvalidReferenceException(input, "repository name must be lowercase");
      }
      throw new InvalidReferenceException(
          input,
          "repository path component \""
              + component
              + "\" must be lowercase letters and digits, separated by '.', '_', '__' or '-'");
    }
  }

  /**
   * The registry as written in references: {@code docker.io}, {@code ghcr.io}, {@code host:5000}.
   */
  public String registry() {
    return registry;
  }

  /** The repository path inside the registry: {@code library/nginx}, {@code team/app}. */
  public String repository() {
    return repository;
  }

  /** Registry and repository: {@code docker.io/library/nginx}. */
  public String name() {
    return registry + "/" + repository;
  }

  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /** The tag, or {@code latest} when the reference names none (Docker's default). */
  public String tagOrLatest() {
    return tag == null ? "latest" : tag;
  }

  public Optional<Digest> digest() {
    return Optional.ofNullable(digest);
  }

  /** Same repository, this tag, no digest: what a policy's candidate tag becomes. */
  public ImageReference withTag(String newTag) {
    return new ImageReference(registry, repository, checkTag(newTag, newTag), null);
  }

  /** Same repository and tag, pinned to this digest ({@code repo:tag@sha256:…}). */
  public ImageReference withDigest(Digest newDigest) {
    return new ImageReference(registry, repository, tag, Objects.requireNonNull(newDigest));
  }

  /** What the manifest endpoint is asked for: the digest if pinned, else the tag (or latest). */
  public String manifestReference() {
    return digest != null ? digest.toString() : tagOrLatest();
  }

  /** The short form people type: {@code nginx:1.25}, {@code team/app}, {@code ghcr.io/o/r:v1}. */
  public String familiar() {
    String name;
    if (registry.equals(DOCKER_HUB)) {
      boolean official =
          repository.startsWith(OFFICIAL_PREFIX)
              && repository.indexOf('/', OFFICIAL_PREFIX.length()) < 0;
      name = official ? repository.substring(OFFICIAL_PREFIX.length()) : repository;
      if (IMAGE_ID.matcher(name).matches()) {
        name = DOCKER_HUB + "/" + name; // bare, it would read as an image ID
      }
    } else {
      name = name();
    }
    return name + suffix();
  }

  private String suffix() {
    return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }

  /** The canonical form: {@code docker.io/library/nginx:1.25@sha256:…}. */
  @Override
  public String toString() {
    return name() + suffix();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageReference other && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
