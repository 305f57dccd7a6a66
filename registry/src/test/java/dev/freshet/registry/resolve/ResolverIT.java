package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.ImageReference;
import dev.freshet.registry.NotFoundException;
import dev.freshet.registry.Priority;
import dev.freshet.registry.UnauthorizedException;
import dev.freshet.registry.auth.DockerConfig;
import dev.freshet.registry.policy.SemverPolicy;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The resolver against the testbed's real registries (CNCF distribution 2.8.2, anonymous and
 * htpasswd), with images pushed by the testbed's pusher as a CI pipeline would.
 */
@WithTestbed
class ResolverIT {
  private final Resolver resolver = Resolver.builder().build();

  /** A repository no other test touches. */
  private static String repository(String name) {
    return "resolver-it/" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static DockerConfig pullSecretFor(Registry registry) {
    String pair = registry.username().orElseThrow() + ":" + registry.password().orElseThrow();
    String auth = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    return DockerConfig.parse(
        "{\"auths\":{\"http://" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
  }

  @Test
  void resolvesASingleArchTagToTheDigestThePushGot(Testbed testbed) {
    PushedImage image = testbed.registry().pusher().push(repository("single"), "v1");

    ResolvedImage resolved =
        resolver.resolve(ImageReference.parse(image.reference()), DockerConfig.empty());

    assertThat(resolved.digest().toString()).isEqualTo(image.digest());
    assertThat(resolved.reference()).hasToString(image.pinnedReference());
    assertThat(resolved.isMultiPlatform()).isFalse();
  }

  @Test
  void resolvesAMultiArchTagToItsIndexDigestAndListsItsPlatforms(Testbed testbed) {
    PushedImage image =
        testbed
            .registry()
            .pusher()
            .pushMultiArch(repository("multi"), "v1", "linux/amd64", "linux/arm64/v8");
    ImageReference ref = ImageReference.parse(image.reference());

    ResolvedImage resolved = resolver.resolve(ref, DockerConfig.empty());
    ImageManifest index = resolver.manifest(resolved.reference(), DockerConfig.empty());

    assertThat(resolved.digest().toString()).isEqualTo(image.digest());
    assertThat(resolved.isMultiPlatform()).isTrue();
    assertThat(index.platforms())
        .containsExactly(Platform.parse("linux/amd64"), Platform.parse("linux/arm64/v8"));
    assertThat(index.supports(Platform.parse("linux/arm64"))).isTrue();
    assertThat(index.supports(Platform.parse("linux/s390x"))).isFalse();
  }

  @Test
  void readsASingleManifestsPlatformFromItsConfig(Testbed testbed) {
    PushedImage image =
        testbed.registry().pusher().push(repository("platform"), "v1", "linux/arm64");

    ImageManifest manifest =
        resolver.manifest(ImageReference.parse(image.pinnedReference()), DockerConfig.empty());

    assertThat(manifest.digest().toString()).isEqualTo(image.digest());
    assertThat(manifest.platforms()).containsExactly(Platform.parse("linux/arm64"));
  }

  @Test
  void followsAMovedTagToItsNewDigest(Testbed testbed) {
    String repository = repository("moving");
    PushedImage first = testbed.registry().pusher().push(repository, "dev");
    PushedImage second = testbed.registry().pusher().push(repository, "dev");
    assertThat(second.digest()).isNotEqualTo(first.digest());

    ResolvedImage resolved =
        resolver.resolve(ImageReference.parse(second.reference()), DockerConfig.empty());

    assertThat(resolved.digest().toString()).isEqualTo(second.digest());
  }

  @Test
  void listsTagsAndASemverPolicyPicksFromThem(Testbed testbed) {
    String repository = repository("semver");
    for (String tag : new String[] {"1.4.0", "1.4.3", "1.5.0", "1.4.4-alpine", "latest"}) {
      testbed.registry().pusher().push(repository, tag);
    }
    ImageReference current =
        ImageReference.parse(testbed.registry().host() + "/" + repository + ":1.4.0");

    var tags = resolver.listTags(current, Optional.empty(), Priority.ESSENTIAL);
    Optional<String> next = new SemverPolicy("~1.4").select("1.4.0", tags);

    assertThat(tags).containsExactlyInAnyOrder("1.4.0", "1.4.3", "1.5.0", "1.4.4-alpine", "latest");
    assertThat(next).contains("1.4.3");
  }

  @Test
  void aMissingTagIsNotFound(Testbed testbed) {
    PushedImage image = testbed.registry().pusher().push(repository("missing"), "v1");
    ImageReference missing = ImageReference.parse(image.reference()).withTag("v404");

    assertThatThrownBy(() -> resolver.resolve(missing, DockerConfig.empty()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void anHtpasswdRegistryRefusesUsWithoutCredentials(Testbed testbed) {
    PushedImage image = testbed.authRegistry().pusher().push(repository("private"), "v1");

    assertThatThrownBy(
            () -> resolver.resolve(ImageReference.parse(image.reference()), DockerConfig.empty()))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("Unauthorized");
              assertThat(e.isTransient()).isFalse();
              assertThat(e.registry()).isEqualTo(testbed.authRegistry().host());
            });
  }

  @Test
  void anHtpasswdRegistryAnswersWithThePullSecretsCredentials(Testbed testbed) {
    Registry registry = testbed.authRegistry();
    PushedImage image =
        registry.pusher().pushMultiArch(repository("private"), "v1", "linux/amd64", "linux/arm64");
    DockerConfig pullSecret = pullSecretFor(registry);
    ImageReference ref = ImageReference.parse(image.reference());

    ResolvedImage resolved = resolver.resolve(ref, pullSecret);

    assertThat(resolved.digest().toString()).isEqualTo(image.digest());
    assertThat(resolver.listTags(ref, pullSecret)).containsExactly("v1");
    assertThat(resolver.manifest(resolved.reference(), pullSecret).platforms()).hasSize(2);
  }
}
