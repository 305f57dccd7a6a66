package dev.freshet.update;

import java.util.regex.Pattern;

/**
 * What a Secret may be called: a DNS subdomain (lower-case letters, digits, '-' and '.', at most
 * 253 characters), the rule the API server holds every Secret's name to. A reference that breaks it
 * names no Secret that can exist, and read as a URL path segment it could name something else.
 */
public final class SecretNames {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private SecretNames() {}

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
