package dev.freshet.receive;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The distribution/reference grammar, as far as receivers need it: validating what senders name,
 * and splitting {@code host/repo} into registry and repository with Docker's defaults. Senders are
 * not trusted to send well-formed names, so every name is checked before it becomes a hint.
 */
public final class ImageNames {

  public static final String DOCKER_HUB = "docker.io";

  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final String LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern HOST =
      Pattern.compile("(?:" + LABEL + "(?:\\." + LABEL + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");
  private static final int MAX_REPOSITORY_LENGTH = 255;

  private ImageNames() {}

  public static boolean isRepository(String s) {
    return s != null && s.length() <= MAX_REPOSITORY_LENGTH && REPOSITORY.matcher(s).matches();
  }

  public static boolean isRegistryHost(String s) {
    return s != null && s.length() <= 255 && HOST.matcher(s).matches();
  }

  public static boolean isTag(String s) {
    return s != null && TAG.matcher(s).matches();
  }

  public static boolean isDigest(String s) {
    return s != null && DIGEST.matcher(s).matches();
  }

  /**
   * Splits a name such as {@code ghcr.io/org/app}, {@code localhost:5000/app} or {@code nginx} into
   * registry and repository. The first component is a registry host only if it looks like one (a
   * dot, a port, or {@code localhost}), as in Docker's own normalisation; otherwise the name is on
   * Docker Hub, where a single component means {@code library/<name>}. Docker Hub's alias hosts
   * become {@code docker.io}.
   *
   * @throws IllegalArgumentException if the name is not a valid image name without tag or digest
   */
  public static Name split(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("empty image name");
    }
    int slash = name.indexOf('/');
    String first = slash < 0 ? "" : name.substring(0, slash);
    boolean hasHost =
        slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    String registry = hasHost ? canonicalHost(first) : DOCKER_HUB;
    String repository = hasHost ? name.substring(slash + 1) : name;
    if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    if (!isRegistryHost(registry)) {
      throw new IllegalArgumentException("not a registry host: " + first);
    }
    if (!isRepository(repository)) {
      throw new IllegalArgumentException(
          "not a repository name (lower-case components separated by '/'): " + repository);
    }
    return new Name(registry, repository);
  }

  /**
   * A location as senders write it, reduced to {@code host/path}: a scheme ({@code https://}) and
   * trailing slashes are dropped, so {@code https://Quay.example.com:8443/org/repo/} becomes {@code
   * Quay.example.com:8443/org/repo}. The host's case is left to {@link #canonicalHost}.
   */
  public static String withoutScheme(String location) {
    String s = location.trim().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }

  /** Docker Hub answers under several names; hints use the canonical one so they coalesce. */
  public static String canonicalHost(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> DOCKER_HUB;
      default -> lower;
    };
  }

  /** A registry host and a repository path. */
  public record Name(String registry, String repository) {}
}
