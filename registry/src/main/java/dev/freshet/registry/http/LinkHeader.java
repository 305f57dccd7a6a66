package dev.freshet.registry.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Link} header (RFC 8288) as registries use it to paginate tag lists: {@code
 * </v2/app/tags/list?n=100&last=v9>; rel="next"}.
 *
 * <p>Read by a single forward scan, so the time is linear in the header whatever a registry sends.
 * The JDK has no Link parser, and a regular expression for it cannot be both complete and safe: the
 * one used before backtracked quadratically on a header of {@code <} (10 KB held a poll thread for
 * seconds) and overflowed the stack on a long run of parameters ({@code <a>;<a>;…}).
 */
public final class LinkHeader {
  private LinkHeader() {}

  /** The target of the first link whose rel includes {@code next}, across all header values. */
  public static Optional<String> next(List<String> headerValues) {
    for (String header : headerValues) {
      Optional<String> next = new Scanner(header).next();
      if (next.isPresent()) {
        return next;
      }
    }
    return Optional.empty();
  }

  private static final class Scanner {
    private final String s;
    private int pos;

    Scanner(String s) {
      this.s = s == null ? "" : s;
    }

    /**
     * Each link is {@code <target>} and {@code ;}-separated parameters; quoted values may hold
     * {@code ,} and {@code ;}. What is not a link is skipped up to the next {@code <}.
     */
    Optional<String> next() {
      while (true) {
        int open = s.indexOf('<', pos);
        if (open < 0) {
          return Optional.empty();
        }
        // A URI reference holds neither '<' nor '>': a second '<' starts the next candidate.
        int close = open + 1;
        while (close < s.length() && s.charAt(close) != '>' && s.charAt(close) != '<') {
          close++;
        }
        if (close >= s.length()) {
          return Optional.empty();
        }
        pos = close;
        if (s.charAt(close) == '<') {
          continue;
        }
        pos++; // '>'
        String target = s.substring(open + 1, close).trim();
        if (relIncludesNext()) {
          return Optional.of(target);
        }
      }
    }

    /** Reads the parameters after a target; true when one of them is a rel naming next. */
    private boolean relIncludesNext() {
      boolean next = false;
      while (true) {
        skipSpaces();
        if (pos >= s.length() || s.charAt(pos) != ';') {
          return next;
        }
        pos++;
        skipSpaces();
        String name = until(";,=<");
        skipSpaces();
        String value = "";
        if (pos < s.length() && s.charAt(pos) == '=') {
          pos++;
          skipSpaces();
          value = pos < s.length() && s.charAt(pos) == '"' ? quoted() : until(";,<");
        }
        if (name.equalsIgnoreCase("rel")) {
          for (String rel : value.trim().split("\\s+")) {
            next |= rel.toLowerCase(Locale.ROOT).equals("next");
          }
        }
      }
    }

    /** Up to the next of the stop characters or whitespace, which is not consumed. */
    private String until(String stops) {
      int start = pos;
      while (pos < s.length()
          && stops.indexOf(s.charAt(pos)) < 0
          && !Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    /** A quoted string with {@code \}-escapes; an unterminated one runs to the end. */
    private String quoted() {
      StringBuilder value = new StringBuilder();
      pos++; // opening quote
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '"') {
          break;
        }
        if (c == '\\' && pos < s.length()) {
          c = s.charAt(pos++);
        }
        value.append(c);
      }
      return value.toString();
    }

    private void skipSpaces() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }
}
