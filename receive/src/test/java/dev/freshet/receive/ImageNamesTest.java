package dev.freshet.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageNamesTest {

  @ParameterizedTest
  @CsvSource({
    "nginx, docker.io, library/nginx",
    "karolisr/keel, docker.io, karolisr/keel",
    "docker.io/nginx, docker.io, library/nginx",
    "index.docker.io/org/app, docker.io, org/app",
    "ghcr.io/org/app, ghcr.io, org/app",
    "localhost/app, localhost, app",
    "127.0.0.1:5000/demo/app, 127.0.0.1:5000, demo/app",
    "quay.io/a/b/c, quay.io, a/b/c",
  })
  void splitsRegistryFromRepositoryWithDockerDefaults(
      String name, String registry, String repository) {
    assertThat(ImageNames.split(name)).isEqualTo(new ImageNames.Name(registry, repository));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "ghcr.io/Org/App",
        "ghcr.io/",
        "ghcr.io/a//b",
        "a/b:tag",
        "a@sha256:x",
        "-a/b",
        "ho st/a",
        "a/b/"
      })
  void refusesNamesOutsideTheGrammar(String name) {
    assertThatThrownBy(() -> ImageNames.split(name)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha256:abc123",
        "sha256:6c62fb45fe66bfb1ea9a66abc38f6a0cc974292b",
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ""
      })
  void placeholderAndShortDigestsAreNotDigests(String digest) {
    assertThat(ImageNames.isDigest(digest)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"latest", "1.2.3", "v1.2-alpine", "dev_2"})
  void acceptsTags(String tag) {
    assertThat(ImageNames.isTag(tag)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".hidden", "-x", "a:b", "a/b"})
  void refusesTags(String tag) {
    assertThat(ImageNames.isTag(tag)).isFalse();
  }

  @Test
  void tagsAreAtMost128Characters() {
    assertThat(ImageNames.isTag("A".repeat(128))).isTrue();
    assertThat(ImageNames.isTag("A".repeat(129))).isFalse();
  }
}
