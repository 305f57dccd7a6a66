package dev.freshet.registry.http;

import dev.freshet.registry.InvalidResponseException;
import java.net.URI;
import java.util.Locale;
import java.util.function.Predicate;

/** Which redirects we follow, and whether credentials may go along. */
final class Redirects {
  private Redirects() {}

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  static URI target(RegistryCall call, String location, Predicate<String> plainHttpAllowed) {
    URI target;
    try {
      target = call.uri().resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidResponseException(call.registry(), "unusable redirect to " + location);
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    boolean allowed =
        target.getHost() != null
            && (scheme.equals("https")
                || (scheme.equals("http") && plainHttpAllowed.test(target.getAuthority())));
    if (!allowed) {
      throw new InvalidResponseException(
          call.registry(), call.uri() + " redirected to " + target + ", which we do not follow");
    }
    return target;
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }
}
