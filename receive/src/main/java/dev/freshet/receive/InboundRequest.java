package dev.freshet.receive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as receivers see it: independent of the server, so parsers are tested without
 * one. Header names are case-insensitive; the body is the raw bytes, because signatures are
 * computed over exactly those bytes.
 *
 * @param path the request path after the route's prefix has been matched (the whole path, e.g.
 *     {@code /hooks/quay/<token>})
 */
public record InboundRequest(
    String method, String path, Map<String, List<String>> headers, byte[] body) {

  public InboundRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    // Names differing only in case are one header, as HTTP says.
    headers.forEach(
        (name, values) ->
            copy.merge(
                name,
                List.copyOf(values),
                (a, b) -> {
                  List<String> all = new ArrayList<>(a);
                  all.addAll(b);
                  return List.copyOf(all);
                }));
    headers = Collections.unmodifiableMap(copy);
  }

  /**
   * A POST with the given headers (name, value, name, value …), as tests and the fuzz target build
   * it.
   */
  public static InboundRequest post(String path, byte[] body, String... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name/value pairs");
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < nameValues.length; i += 2) {
      headers.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
    }
    return new InboundRequest("POST", path, headers, body);
  }

  /** The first value of a header, if present. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The media type of the body, lower-cased and without parameters such as {@code charset}. */
  public Optional<String> mediaType() {
    return header("Content-Type")
        .map(
            v -> {
              int semicolon = v.indexOf(';');
              return (semicolon < 0 ? v : v.substring(0, semicolon))
                  .trim()
                  .toLowerCase(Locale.ROOT);
            });
  }
}
