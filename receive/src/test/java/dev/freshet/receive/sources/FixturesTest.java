package dev.freshet.receive.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Receiver;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every receiver on real captured payloads, shared by the team outside the repository ({@code
 * ../shared/fixtures/webhooks} from the repository root), against each fixture's {@code expect}. A
 * fixture whose expected tag is null (an untagged push, a placeholder digest) must yield no hint.
 */
class FixturesTest {

  private static final String AUTH = "Bearer fixture-auth";
  private static final String TOKEN = "fixture-token";

  @TestFactory
  Stream<DynamicTest> eachFixtureYieldsWhatItsIndexExpects() throws IOException {
    Path dir = fixturesDir();
    JsonNode index = new ObjectMapper().readTree(dir.resolve("index.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode entry : index) {
      String file = entry.get("file").asText();
      tests.add(DynamicTest.dynamicTest(file, () -> check(dir, entry)));
    }
    assertThat(tests).as("fixtures listed in index.json").isNotEmpty();
    return tests.stream();
  }

  private static void check(Path dir, JsonNode entry) throws IOException {
    String file = entry.get("file").asText();
    String provider = entry.get("provider").asText();
    byte[] body = Files.readAllBytes(dir.resolve(file));
    List<String> headers = new ArrayList<>();
    entry
        .get("headers")
        .fields()
        .forEachRemaining(
            h -> {
              headers.add(h.getKey());
              headers.add(h.getValue().asText());
            });
    SeenCache cache = new SeenCache(Clock.systemUTC(), Duration.ofHours(1), 100);
    Receiver receiver;
    String path = "/hooks/" + provider;
    switch (provider) {
      case "distribution" -> receiver = new DistributionReceiver(Secret.of(AUTH));
      case "acr" -> receiver = new AcrReceiver(Secret.of(AUTH));
      case "harbor" -> receiver = new HarborReceiver(Secret.of(AUTH));
      case "dockerhub" -> {
        receiver = new DockerHubReceiver(Secret.of(TOKEN));
        path += "/" + TOKEN;
      }
      case "quay" -> {
        receiver = new QuayReceiver(Secret.of(TOKEN));
        path += "/" + TOKEN;
      }
      case "github" -> {
        receiver = new GitHubReceiver(Secret.of(entry.at("/hmac/secret").asText()), cache);
        headers.add("X-GitHub-Delivery");
        headers.add(file);
      }
      default -> throw new AssertionError("a fixture for an unknown provider: " + provider);
    }
    if (!provider.equals("github") && !provider.equals("dockerhub") && !provider.equals("quay")) {
      headers.add("Authorization");
      headers.add(AUTH);
    }

    Verdict verdict =
        receiver.receive(InboundRequest.post(path, body, headers.toArray(String[]::new)));

    assertThat(verdict).as("%s: %s", file, verdict).isInstanceOf(Verdict.Accepted.class);
    List<ImageHint> hints = ((Verdict.Accepted) verdict).hints();
    JsonNode expect = entry.get("expect");
    if (expect.get("tag").isNull()) {
      assertThat(hints)
          .as("%s names no tag, so it must not become a tagged update", file)
          .isEmpty();
      return;
    }
    // GHCR names are lower-case; the receiver lower-cases what GitHub's payload spells with
    // capitals.
    String repository =
        provider.equals("github")
            ? expect.get("repository").asText().toLowerCase(Locale.ROOT)
            : expect.get("repository").asText();
    Optional<String> digest =
        expect.get("digest").isNull()
            ? Optional.empty()
            : Optional.of(expect.get("digest").asText());
    assertThat(hints)
        .as(file)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.registry()).isEqualTo(expect.get("registry").asText());
              assertThat(h.repository()).isEqualTo(repository);
              assertThat(h.tag()).isEqualTo(expect.get("tag").asText());
              assertThat(h.digest()).isEqualTo(digest);
              assertThat(h.source()).isEqualTo(provider);
            });
  }

  /**
   * The shared fixtures sit beside the checkout; found from any module directory Maven runs tests
   * in.
   */
  static Path fixturesDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("../shared/fixtures/webhooks").normalize();
      if (Files.isRegularFile(candidate.resolve("index.json"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return candidate;
      }
    }
    Assumptions.abort(
        "the shared webhook fixtures are absent (expected ../shared/fixtures/webhooks beside"
            + " the repository root); skipping the fixture tests");
    throw new AssertionError("unreachable");
  }
}
