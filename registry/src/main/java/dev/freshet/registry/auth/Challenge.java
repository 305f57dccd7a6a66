package dev.freshet.registry.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235), such as {@code Bearer
 * realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"}.
 * Parameter names are lowercased; values are unquoted and unescaped.
 */
public record Challenge(String scheme, Map<String, String> params) {
  public Challenge {
    params = Map.copyOf(params);
  }

  public boolean isBearer() {
    return scheme.equalsIgnoreCase("Bearer");
  }

  public boolean isBasic() {
    return scheme.equalsIgnoreCase("Basic");
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * All challenges in one header value. Lenient: whatever cannot be read is skipped, and it never
   * throws — the header comes from a server we do not control.
   */
  public static List<Challenge> parseAll(String header) {
    return new Parser(header).challenges();
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s == null ? "" : s;
    }

    List<Challenge> challenges() {
      List<Challenge> result = new ArrayList<>();
      while (pos < s.length()) {
        skipSeparators();
        String scheme = token();
        if (scheme.isEmpty()) {
          pos++; // not a token character: skip it so we always make progress
          continue;
        }
        result.add(new Challenge(scheme, params()));
      }
      return result;
    }

    private Map<String, String> params() {
      Map<String, String> params = new LinkedHashMap<>();
      while (pos < s.length()) {
        int start = pos;
        skipSeparators();
        String name = token();
        skipSpaces();
        if (name.isEmpty() || pos >= s.length() || s.charAt(pos) != '=') {
          // "Bearer realm=x, Basic realm=y": a token not followed by '=' is the next scheme.
          pos = start;
          return params;
        }
        pos++; // '='
        skipSpaces();
        String value = pos < s.length() && s.charAt(pos) == '"' ? quoted() : token();
        params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
      }
      return params;
    }

    private String token() {
      int start = pos;
      while (pos < s.length() && isTokenChar(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    private String quoted() {
      StringBuilder value = new StringBuilder();
      pos++; // opening quote
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && pos < s.length()) {
          c = s.charAt(pos++);
        }
        value.append(c);
      }
      return value.toString(); // unterminated: take what there is
    }

    private void skipSpaces() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    private void skipSeparators() {
      while (pos < s.length() && " \t,".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }

    private static boolean isTokenChar(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }
}
