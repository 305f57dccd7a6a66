package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.ImageNames;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.PathToken;
import dev.freshet.receive.auth.Secret;
import java.util.Optional;
import java.util.Set;

/**
 * Docker Hub repository webhooks. Hub neither signs nor lets you add a header, so the secret is the
 * last path segment of the URL. The payload names repository and tag but never a digest; a
 * multi-arch push sends one call per manifest, all alike, which the coalescer folds into one.
 */
public final class DockerHubReceiver extends AbstractReceiver {

  private final PathToken token;

  public DockerHubReceiver(Secret token) {
    super("dockerhub");
    this.token = new PathToken(token);
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    MediaTypes.require(request, Set.of(MediaTypes.JSON));
    token.check(request);
    JsonNode root = Json.object(request.body());
    Hints hints = new Hints(source());
    Optional<String> tag = Json.text(root, "push_data", "tag");
    // repo_name is "namespace/name" on Hub; some senders (Hub's own test deliveries, relays) give
    // only namespace and name, which say the same.
    Optional<String> repoName =
        Json.text(root, "repository", "repo_name")
            .or(
                () ->
                    Json.text(root, "repository", "namespace")
                        .flatMap(
                            namespace ->
                                Json.text(root, "repository", "name")
                                    .map(name -> namespace + "/" + name)));
    if (repoName.isEmpty()) {
      hints.skip(
          IgnoreReason.NO_REPOSITORY,
          ImageNames.DOCKER_HUB + "/?" + tag.map(t -> ":" + t).orElse(""),
          "no repository.repo_name, nor repository.namespace and repository.name");
      return hints.verdict();
    }
    ImageNames.Name name;
    try {
      // A bare name would be an official image, under library/.
      name = ImageNames.split(ImageNames.DOCKER_HUB + "/" + repoName.get());
    } catch (IllegalArgumentException e) {
      hints.skip(
          IgnoreReason.INVALID_NAME, ImageNames.DOCKER_HUB + "/" + repoName.get(), e.getMessage());
      return hints.verdict();
    }
    hints.add(
        name.registry(), name.repository(), tag, Optional.empty(), Hints.bodyId(request.body()));
    return hints.verdict();
  }
}
