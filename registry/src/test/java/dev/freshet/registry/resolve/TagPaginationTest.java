package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.Priority;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Tag listing across pages. Fake registry: Debian's docker-registry 2.8.2 (our real one) ignores
 * {@code n}/{@code last} and never sends a {@code Link} header, so pagination cannot be seen there.
 */
class TagPaginationTest {
  private static final List<String> ALL_TAGS =
      List.of("1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0", "latest", "v3");

  /** Pages the way distribution documents it: lexical order, n per page, a Link to the next. */
  private static Reply paginated(FakeRegistry.Request request, int serverMaxPage) {
    Map<String, String> query = query(request.uri().getRawQuery());
    int n = Math.min(Integer.parseInt(query.getOrDefault("n", "100")), serverMaxPage);
    String last = query.get("last");
    List<String> page = new ArrayList<>();
    for (String tag : ALL_TAGS) {
      if ((last == null || tag.compareTo(last) > 0) && page.size() < n) {
        page.add(tag);
      }
    }
    Reply reply =
        Reply.json(
            200, "{\"name\":\"team/app\",\"tags\":[\"" + String.join("\",\"", page) + "\"]}");
    String lastOnPage = page.isEmpty() ? null : page.get(page.size() - 1);
    if (lastOnPage != null && !lastOnPage.equals(ALL_TAGS.get(ALL_TAGS.size() - 1))) {
      reply.header(
          "Link", "</v2/team/app/tags/list?n=" + n + "&last=" + lastOnPage + ">; rel=\"next\"");
    }
    return reply;
  }

  @Test
  void followsLinkHeadersUntilTheLastPage() throws Exception {
    try (FakeRegistry registry = FakeRegistry.start(request -> paginated(request, 3))) {
      Resolver resolver = Resolver.builder().tagPageSize(3).build();

      List<String> tags =
          resolver.listTags(
              ImageReference.parse(registry.host() + "/team/app"),
              Optional.empty(),
              Priority.ESSENTIAL);

      assertThat(tags).containsExactlyElementsOf(ALL_TAGS);
      assertThat(registry.requests())
          .extracting(r -> r.uri().getRawQuery())
          .containsExactly("n=3", "n=3&last=1.2.0", "n=3&last=latest");
    }
  }

  @Test
  void aRegistryMaySendFewerTagsPerPageThanAskedFor() throws Exception {
    try (FakeRegistry registry = FakeRegistry.start(request -> paginated(request, 2))) {
      Resolver resolver = Resolver.builder().tagPageSize(1000).build();

      List<String> tags =
          resolver.listTags(
              ImageReference.parse(registry.host() + "/team/app"),
              Optional.empty(),
              Priority.ESSENTIAL);

      assertThat(tags).containsExactlyElementsOf(ALL_TAGS);
      assertThat(registry.requests()).hasSize(4);
    }
  }

  @Test
  void refusesANextPageOnAnotherOrigin() throws Exception {
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                Reply.json(200, "{\"tags\":[\"a\"]}")
                    .header(
                        "Link",
                        "<http://evil.example/v2/team/app/tags/list?last=a>; rel=\"next\""))) {
      Resolver resolver = Resolver.builder().build();

      assertThatThrownBy(
              () ->
                  resolver.listTags(
                      ImageReference.parse(registry.host() + "/team/app"),
                      Optional.empty(),
                      Priority.ESSENTIAL))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("another origin");
      assertThat(registry.requests()).hasSize(1);
    }
  }

  @Test
  void refusesALinkThatLoopsBack() throws Exception {
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                Reply.json(200, "{\"tags\":[\"a\"]}")
                    .header("Link", "</v2/team/app/tags/list?n=1000>; rel=\"next\""))) {
      Resolver resolver = Resolver.builder().build();

      assertThatThrownBy(
              () ->
                  resolver.listTags(
                      ImageReference.parse(registry.host() + "/team/app"),
                      Optional.empty(),
                      Priority.ESSENTIAL))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("does not end");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return query;
  }
}
