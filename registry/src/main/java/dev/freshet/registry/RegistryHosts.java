package dev.freshet.registry;

import java.util.Locale;
import java.util.Set;

/**
 * Host-name facts the ecosystem agrees on: Docker Hub's many names, where its API actually lives,
 * and which hosts are loopback (the only ones we talk plain HTTP to unless told otherwise).
 */
public final class RegistryHosts {
  /** Where Docker Hub's registry API answers; {@code docker.io} itself serves no /v2/. */
  public static final String DOCKER_HUB_API = "registry-1.docker.io";

  private static final Set<String> DOCKER_HUB_ALIASES =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

  private RegistryHosts() {}

  /** The host (and port) whose /v2/ API serves this registry. */
  public static String apiHost(String registry) {
    return isDockerHub(registry) ? DOCKER_HUB_API : registry;
  }

  public static boolean isDockerHub(String registry) {
    return DOCKER_HUB_ALIASES.contains(registry.toLowerCase(Locale.ROOT));
  }

  /**
   * The form credentials are keyed by: no scheme, no path, lowercase, every Docker Hub alias as
   * {@code docker.io}. So {@code https://index.docker.io/v1/} and {@code docker.io} are one key,
   * and {@code https://registry.example.com:5000/v2/} is {@code registry.example.com:5000}.
   */
  public static String credentialKey(String hostOrUrl) {
    String key = hostOrUrl.trim();
    int scheme = key.indexOf("://");
    if (scheme >= 0) {
      key = key.substring(scheme + 3);
    }
    int slash = key.indexOf('/');
    if (slash >= 0) {
      key = key.substring(0, slash);
    }
    key = key.toLowerCase(Locale.ROOT);
    return isDockerHub(key) ? ImageReference.DOCKER_HUB : key;
  }

  /** Whether the host part of {@code host[:port]} is localhost, 127.0.0.0/8 or [::1]. */
  public static boolean isLoopback(String hostAndPort) {
    String host = hostOnly(hostAndPort).toLowerCase(Locale.ROOT);
    if (host.equals("localhost") || host.equals("[::1]")) {
      return true;
    }
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String octet : octets) {
      if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /** {@code host:5000} → {@code host}; {@code [::1]:5000} → {@code [::1]}. */
  static String hostOnly(String hostAndPort) {
    if (hostAndPort.startsWith("[")) {
      int close = hostAndPort.indexOf(']');
      return close < 0 ? hostAndPort : hostAndPort.substring(0, close + 1);
    }
    int colon = hostAndPort.indexOf(':');
    return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
  }
}
