package dev.freshet.registry.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Link} header (RFC 5988/8288) as registries use it to paginate tag lists: {@code
 * </v2/app/tags/list?n=100&last=v9>; rel="next"}.
 */
public final class LinkHeader {
  // One link-value: <target>, then ;-separated parameters whose quoted values may hold ',' and ';'.
  private static final Pattern LINK =
      Pattern.compile(
          "<([^>]*)>((?:\\s*;\\s*[^;,=\\s]+(?:\\s*=\\s*(?:\"[^\"]*\"|[^;,\\s\"]*))?)*)");
  private static final Pattern REL =
      Pattern.compile(";\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s,]+))", Pattern.CASE_INSENSITIVE);

  private LinkHeader() {}

  /** The target of the first link whose rel includes {@code next}, across all header values. */
  public static Optional<String> next(List<String> headerValues) {
    for (String header : headerValues) {
      Matcher link = LINK.matcher(header);
      while (link.find()) {
        Matcher rel = REL.matcher(link.group(2));
        while (rel.find()) {
          String rels = rel.group(1) != null ? rel.group(1) : rel.group(2);
          for (String r : rels.trim().split("\\s+")) {
            if (r.toLowerCase(Locale.ROOT).equals("next")) {
              return Optional.of(link.group(1).trim());
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
