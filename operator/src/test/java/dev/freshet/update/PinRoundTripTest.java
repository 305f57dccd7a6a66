package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.registry.ImageReference;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code repo:tag@sha256:…} keeps its tag through every parse and pin, for every combination of
 * registry form, repository path and tag shape below. A pin that lost its tag would be watched as
 * {@code latest} on the next reconcile, resolve to another digest and move the workload back and
 * forth; so each property is checked on the pin Freshet writes and on a pin of that pin.
 */
class PinRoundTripTest {
  private static final String FIRST = "sha256:" + "a".repeat(64);
  private static final String SECOND = "sha256:" + "0123456789abcdef".repeat(4);

  private static final List<String> REGISTRIES =
      List.of(
          "",
          "docker.io/",
          "index.docker.io/",
          "localhost/",
          "localhost:5000/",
          "127.0.0.1:5000/",
          "[::1]:5000/",
          "registry.example.com:443/",
          "ghcr.io/");
  private static final List<String> PATHS =
      List.of("nginx", "library/nginx", "team/web", "a/b/c/d", "my-org/my_app.v2", "x__y/z-9");
  private static final List<String> TAGS =
      List.of(
          "1.27", "v1.2.3-rc.1", "dev", "1.4-alpine", "main-20251124.3", "_x", "latest", "A.b-C");

  record Case(String registry, String path, String tag) {
    String image() {
      return registry + path + ":" + tag;
    }

    @Override
    public String toString() {
      return image();
    }
  }

  static Stream<Case> cases() {
    return REGISTRIES.stream()
        .flatMap(r -> PATHS.stream().flatMap(p -> TAGS.stream().map(t -> new Case(r, p, t))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aPinKeepsTheNameAsWrittenAndTheTagThroughEveryParse(Case c) {
    String pinned = ImagePins.pin(c.image(), c.tag(), FIRST);

    assertThat(pinned).isEqualTo(c.image() + "@" + FIRST);
    assertPinned(pinned, c, FIRST);

    // The next update pins over the pin: same name as written, same tag, the new digest.
    String repinned = new Pin(c.tag(), SECOND).on(pinned);
    assertThat(repinned).isEqualTo(c.image() + "@" + SECOND);
    assertPinned(repinned, c, SECOND);
    // Pinning what is already pinned changes nothing: no reconcile sees a difference to apply.
    assertThat(ImagePins.pinOf(repinned, repinned).orElseThrow().on(repinned)).isEqualTo(repinned);
  }

  private static void assertPinned(String pinned, Case c, String digest) {
    assertThat(ImagePins.tag(pinned)).contains(c.tag());
    assertThat(ImagePins.digest(pinned)).contains(digest);
    assertThat(ImagePins.name(pinned)).isEqualTo(c.registry() + c.path());
    assertThat(ImagePins.pinOf(pinned, c.image())).contains(new Pin(c.tag(), digest));

    ImageReference reference = ImageReference.parse(pinned);
    ImageReference declared = ImageReference.parse(c.image());
    assertThat(reference.tag()).contains(c.tag());
    // What the poller is asked to watch: the pinned template's tag, never a fallback to latest.
    assertThat(reference.tagOrLatest()).isEqualTo(c.tag());
    assertThat(reference.name()).isEqualTo(declared.name());
    // Canonical and familiar forms parse back to the same reference, tag and digest included.
    assertThat(ImageReference.parse(reference.toString())).isEqualTo(reference);
    assertThat(ImageReference.parse(reference.familiar())).isEqualTo(reference);
    // The poller rebuilds the reference from registry, repository and tag alone.
    assertThat(
            ImageReference.parse(
                reference.registry()
                    + "/"
                    + reference.repository()
                    + ":"
                    + reference.tagOrLatest()))
        .isEqualTo(declared);
  }

  @Test
  void dockerHubsOfficialImagesAreOneRepositoryHoweverTheyAreWritten() {
    List<String> spellings =
        List.of(
            "nginx:1.27",
            "library/nginx:1.27",
            "docker.io/nginx:1.27",
            "docker.io/library/nginx:1.27",
            "index.docker.io/library/nginx:1.27",
            "nginx:1.27@" + FIRST);

    assertThat(spellings)
        .map(ImageReference::parse)
        .allSatisfy(
            r -> {
              assertThat(r.registry()).isEqualTo("docker.io");
              assertThat(r.repository()).isEqualTo("library/nginx");
              assertThat(r.tag()).contains("1.27");
            });
    // The pin keeps each spelling as its author wrote it.
    assertThat(ImagePins.pin("library/nginx:1.27", "1.27", FIRST))
        .isEqualTo("library/nginx:1.27@" + FIRST);
    assertThat(ImagePins.pinOf("nginx:1.27@" + FIRST, "docker.io/library/nginx:1.27"))
        .contains(new Pin("1.27", FIRST));
  }

  @Test
  void anEmptyTagIsNeverAPin() {
    assertThat(ImagePins.pinOf("web:@" + FIRST, "web:dev")).isEmpty();
    assertThat(ImagePins.pinOf("web@" + FIRST, "web:dev")).isEmpty();
    assertThat(ImagePins.tag("web@" + FIRST)).isEmpty();
  }
}
