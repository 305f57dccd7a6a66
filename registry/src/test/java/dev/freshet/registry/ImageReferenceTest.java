package dev.freshet.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference grammar, case by case from CNCF distribution's own tests (reference_test.go,
 * normalize_test.go in github.com/distribution/reference), read through its normalising parser
 * (ParseNormalizedNamed), which is what Docker and Kubernetes users write.
 */
class ImageReferenceTest {
  static final String SHA256 =
      "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
  static final String SHA512 =
      "sha512:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

  static Stream<Arguments> validReferences() {
    return Stream.of(
        // input, registry, repository, tag, digest
        valid("test_com", "docker.io", "library/test_com", null, null),
        valid("test.com:tag", "docker.io", "library/test.com", "tag", null),
        valid("test.com:5000", "docker.io", "library/test.com", "5000", null),
        valid("test.com/repo:tag", "test.com", "repo", "tag", null),
        valid("test:5000/repo", "test:5000", "repo", null, null),
        valid("test:5000/repo:tag", "test:5000", "repo", "tag", null),
        valid("test:5000/repo@" + SHA256, "test:5000", "repo", null, SHA256),
        valid("test:5000/repo:tag@" + SHA256, "test:5000", "repo", "tag", SHA256),
        valid("lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", null),
        valid("sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "bar/baz/quux", null, null),
        valid(
            "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
            "sub-dom1.foo.com",
            "bar/baz/quux",
            "some-long-tag",
            null),
        valid(
            "b.gcr.io/test.example.com/my-app:test.example.com",
            "b.gcr.io",
            "test.example.com/my-app",
            "test.example.com",
            null),
        valid("xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", null),
        valid(
            "xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512,
            "xn--7o8h.com",
            "myimage",
            "xn--7o8h.com",
            SHA512),
        valid("foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", null),
        valid("foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", null),
        valid("192.168.1.1", "docker.io", "library/192.168.1.1", null, null),
        valid("192.168.1.1:tag", "docker.io", "library/192.168.1.1", "tag", null),
        valid("192.168.1.1:5000", "docker.io", "library/192.168.1.1", "5000", null),
        valid("192.168.1.1/repo", "192.168.1.1", "repo", null, null),
        valid("192.168.1.1:5000/repo", "192.168.1.1:5000", "repo", null, null),
        valid("192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", null),
        valid("[2001:db8::1]/repo", "[2001:db8::1]", "repo", null, null),
        valid("[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo", "tag", null),
        valid("[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "repo", null, null),
        valid("[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000", "repo", "tag", null),
        valid("[2001:db8::1]:5000/repo@" + SHA256, "[2001:db8::1]:5000", "repo", null, SHA256),
        valid("[2001:db8::1]:5000/repo:tag@" + SHA256, "[2001:db8::1]:5000", "repo", "tag", SHA256),
        valid("[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo", null, null),
        valid("[::1]:5000/repo", "[::1]:5000", "repo", null, null),
        // normalize_test.go: Docker Hub's defaults and aliases
        valid("debian", "docker.io", "library/debian", null, null),
        valid("library/debian", "docker.io", "library/debian", null, null),
        valid("docker/docker", "docker.io", "docker/docker", null, null),
        valid("docker.io/debian", "docker.io", "library/debian", null, null),
        valid("docker.io/library/debian", "docker.io", "library/debian", null, null),
        valid("index.docker.io/debian", "docker.io", "library/debian", null, null),
        valid("index.docker.io/docker/docker", "docker.io", "docker/docker", null, null),
        valid("docker.io/library/foo/bar", "docker.io", "library/foo/bar", null, null),
        valid("127.0.0.1:5000/docker/docker", "127.0.0.1:5000", "docker/docker", null, null),
        valid("192.168.0.1:8/debian", "192.168.0.1:8", "debian", null, null),
        valid("[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker", null, null),
        valid(
            "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
            "[fc00:1:2:3:4:5:6:7]:5000",
            "library/debian",
            null,
            null),
        valid("localhost/foo", "localhost", "foo", null, null),
        valid("localhost:5000/foo/bar:v1", "localhost:5000", "foo/bar", "v1", null),
        valid("Docker/docker", "Docker", "docker", null, null),
        valid("DOCKER/docker", "DOCKER", "docker", null, null),
        valid(
            "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
            "docker.io",
            "library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
            null,
            null),
        valid(
            "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
            "docker.io",
            "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
            null,
            null),
        valid("docker-rules/docker", "docker.io", "docker-rules/docker", null, null),
        valid("docker---rules/docker", "docker.io", "docker---rules/docker", null, null),
        valid("d/docker", "docker.io", "d/docker", null, null),
        valid("jess/t", "docker.io", "jess/t", null, null),
        valid("dock__er/docker", "docker.io", "dock__er/docker", null, null),
        valid(
            "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
            "docker.io",
            "library/busybox",
            "latest",
            "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"),
        // name of exactly 255 characters after normalisation is still allowed
        valid(
            "docker.io/" + "a/".repeat(122) + "a", "docker.io", "a/".repeat(122) + "a", null, null),
        // a tag of exactly 128 characters
        valid("repo:" + "t".repeat(128), "docker.io", "library/repo", "t".repeat(128), null));
  }

  private static Arguments valid(
      String input, String registry, String repository, String tag, String digest) {
    return Arguments.of(input, registry, repository, tag, digest);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validReferences")
  void parsesAndNormalises(
      String input, String registry, String repository, String tag, String digest) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).isEqualTo(java.util.Optional.ofNullable(tag));
    assertThat(ref.digest().map(Digest::toString)).isEqualTo(java.util.Optional.ofNullable(digest));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validReferences")
  void canonicalFormParsesBackToTheSameReference(String input) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
    assertThat(ImageReference.parse(ref.familiar())).isEqualTo(ref);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''                                             | reference is empty
          :justtag                                       | repository name is missing
          @sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff | repository name is missing
          repo@sha256:ffffffffffffffffffffffffffffffffff | 64 lowercase hex
          repo@sha256:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF                           | 64 lowercase hex
          repo@sha256:fff                                | digest must look like
          validname@invaliddigest:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff                   | unsupported digest algorithm
          Uppercase:tag                                  | must be lowercase
          test:5000/Uppercase/lowercase:tag              | must be lowercase
          docker/Docker                                  | must be lowercase
          docker.io/docker/Docker                        | must be lowercase
          aa/asdf$$^/aa                                | path component "asdf$$^"
          [2001:db8::1]                                  | tag
          [2001:db8::1]:5000                             | tag
          [2001:db8::1]:tag                              | tag
          [fc00::1]                                      | tag
          [fe80::1%eth0]:5000/repo                       | registry "[fe80::1%eth0]:5000"
          [fe80::1%@invalidzone]:5000/repo               | digest must look like
          [2001:db8:3:4::192.0.2.33]:5000/debian         | registry
          fc00::1:5000/debian                            | registry "fc00::1:5000"
          https://github.com/docker/docker               | registry "https:"
          -docker                                        | path component "-docker"
          -docker/docker                                 | path component "-docker"
          -docker.io/docker/docker                       | registry "-docker.io"
          docker-/docker                                 | path component "docker-"
          -docker-/docker                                | path component
          ____/____                                      | path component "____"
          _docker/_docker                                | path component "_docker"
          dock..er/docker                                | registry "dock..er"
          dock_.er/docker                                | registry "dock_.er"
          dock-.er/docker                                | registry "dock-.er"
          docker///docker                                | empty component
          docker.io/docker///docker                      | empty component
          docker/                                        | empty component
          1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a | image ID
          repo:                                          | tag after ':' is empty
          repo:-foo                                      | tag "-foo"
          repo:.foo                                      | tag ".foo"
          repo:a@b                                       | digest must look like
          repo:tag:more                                  | tag "tag:more"
          """)
  void rejectsWithAMessageSayingWhatIsWrong(String input, String problem) {
    assertThatThrownBy(() -> ImageReference.parse(input))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void rejectsANameLongerThan255Characters() {
    assertThatThrownBy(() -> ImageReference.parse("a/".repeat(128) + "a:tag"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("at most 255");
  }

  @Test
  void countsTheNormalisedNameTowardsTheLimit() {
    // distribution's Parse accepts this 255-character name; normalised it gains "docker.io/" and,
    // like docker pull, we refuse it.
    assertThatThrownBy(() -> ImageReference.parse("a/".repeat(127) + "a:tag-puts-this-over-max"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("265 characters long");
  }

  @Test
  void rejectsATagLongerThan128Characters() {
    assertThatThrownBy(() -> ImageReference.parse("repo:" + "t".repeat(129)))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("129 characters long; at most 128");
  }

  @ParameterizedTest(name = "{0} is familiar as {1}")
  @CsvSource({
    "fooo/bar, fooo/bar, docker.io/fooo/bar",
    "index.docker.io/fooo/bar, fooo/bar, docker.io/fooo/bar",
    "library/ubuntu, ubuntu, docker.io/library/ubuntu",
    "docker.io/library/ubuntu, ubuntu, docker.io/library/ubuntu",
    "nonlibrary/ubuntu, nonlibrary/ubuntu, docker.io/nonlibrary/ubuntu",
    "other/library, other/library, docker.io/other/library",
    "127.0.0.1:8000/private/moonbase, 127.0.0.1:8000/private/moonbase, 127.0.0.1:8000/private/moonbase",
    "example.com/privatebase, example.com/privatebase, example.com/privatebase",
    "example.com:8000/privatebasee, example.com:8000/privatebasee, example.com:8000/privatebasee",
    "ubuntu-12.04-base, ubuntu-12.04-base, docker.io/library/ubuntu-12.04-base",
    "docker.io/foo, foo, docker.io/library/foo",
    "library/foo/bar, library/foo/bar, docker.io/library/foo/bar",
    "store/foo/bar, store/foo/bar, docker.io/store/foo/bar",
    "Foo/bar, Foo/bar, Foo/bar",
    "FOO/bar, FOO/bar, FOO/bar",
  })
  void familiarAndFullNames(String input, String familiar, String full) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ref.familiar()).isEqualTo(familiar);
    assertThat(ref.toString()).isEqualTo(full);
  }

  @Test
  void withoutATagTheManifestAskedForIsLatest() {
    ImageReference ref = ImageReference.parse("nginx");

    assertThat(ref.tag()).isEmpty();
    assertThat(ref.tagOrLatest()).isEqualTo("latest");
    assertThat(ref.manifestReference()).isEqualTo("latest");
  }

  @Test
  void aPinnedReferenceAsksForItsDigestAndKeepsItsTag() {
    ImageReference ref =
        ImageReference.parse("ghcr.io/team/app:v1").withDigest(Digest.parse(SHA256));

    assertThat(ref.manifestReference()).isEqualTo(SHA256);
    assertThat(ref).hasToString("ghcr.io/team/app:v1@" + SHA256);
    assertThat(ref.withTag("v2")).hasToString("ghcr.io/team/app:v2");
  }

  @Test
  void aTagIsNameableExactlyWhenAReferenceAcceptsIt() {
    for (String tag : new String[] {"", " ", ".x", "-x", "a:b", "é", "x".repeat(129)}) {
      assertThat(ImageReference.isTag(tag)).as("\"%s\"", tag).isFalse();
      assertThatThrownBy(() -> ImageReference.parse("web:" + tag))
          .isInstanceOf(InvalidReferenceException.class);
    }
    for (String tag :
        new String[] {"1.27", "v1.2.3-rc.1", "_x", "main-20251124", "x".repeat(128)}) {
      assertThat(ImageReference.isTag(tag)).as(tag).isTrue();
      assertThat(ImageReference.parse("web:" + tag).tag()).contains(tag);
    }
  }
}
