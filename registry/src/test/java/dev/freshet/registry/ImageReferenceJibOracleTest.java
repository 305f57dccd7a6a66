package dev.freshet.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test: Jib's parser (jib-core, test scope only) is an independent reading of the same
 * grammar. Where both accept a reference they must agree on every part.
 */
class ImageReferenceJibOracleTest {

  /**
   * Where Jib departs from CNCF distribution, distribution (and Docker) is the reference; those
   * inputs are left out here and pinned by ImageReferenceTest instead.
   */
  private static final Set<String> JIB_DEPARTS_FROM_DISTRIBUTION =
      Set.of(
          "docker.io/debian", // Jib: repository "debian"; distribution adds library/
          "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", // same
          "index.docker.io/debian", // Jib keeps the legacy host; distribution maps it to docker.io
          "index.docker.io/docker/docker",
          "Docker/docker", // distribution: an uppercase first element is a registry host
          "DOCKER/docker");

  /**
   * Jib has no IPv6 hosts and no sha512 digests; it rejects those, so there is nothing to compare.
   */
  private static boolean jibSupports(String input) {
    return !input.contains("[") && !input.contains("sha512:");
  }

  static Stream<String> comparableReferences() {
    return ImageReferenceTest.validReferences()
        .map(arguments -> (String) arguments.get()[0])
        .filter(ImageReferenceJibOracleTest::jibSupports)
        .filter(input -> !JIB_DEPARTS_FROM_DISTRIBUTION.contains(input));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("comparableReferences")
  void agreesWithJibOnEveryPart(String input) throws InvalidImageReferenceException {
    ImageReference ours = ImageReference.parse(input);
    com.google.cloud.tools.jib.api.ImageReference jib =
        com.google.cloud.tools.jib.api.ImageReference.parse(input);

    // Jib names Docker Hub by its API host; we keep docker.io in references and map it when
    // calling.
    assertThat(RegistryHosts.apiHost(ours.registry())).isEqualTo(jib.getRegistry());
    assertThat(ours.repository()).isEqualTo(jib.getRepository());
    assertThat(ours.digest().map(Digest::toString)).isEqualTo(jib.getDigest());
    assertThat(
            ours.tag()
                .or(() -> ours.digest().isPresent() ? Optional.empty() : Optional.of("latest")))
        .isEqualTo(jib.getTag());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        ":justtag",
        "Uppercase:tag",
        "docker/Docker",
        "-docker/docker",
        "docker///docker",
        "dock..er/docker",
        "https://github.com/docker/docker",
        "repo:-foo",
        "aa/asdf$$^/aa",
      })
  void rejectsWhatJibRejects(String input) {
    assertThatThrownBy(() -> com.google.cloud.tools.jib.api.ImageReference.parse(input))
        .isInstanceOf(InvalidImageReferenceException.class);
    assertThatThrownBy(() -> ImageReference.parse(input))
        .isInstanceOf(InvalidReferenceException.class);
  }
}
