package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
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
    String repoName = Json.requiredText(root, "repository", "repo_name");
    Hints hints = new Hints(source());
    ImageNames.Name name;
    try {
      // repo_name is "namespace/name" on Hub; a bare name would be an official image, under
      // library/.
      name = ImageNames.split(ImageNames.DOCKER_HUB + "/" + repoName);
    } catch (IllegalArgumentException e) {
      hints.skip(e.getMessage());
      return hints.verdict();
    }
    hints.add(
        name.registry(),
        name.repository(),
        Json.text(root, "push_data", "tag"),
        Optional.empty(),
        Hints.bodyId(request.body()));
    return hints.verdict();
  }
}
