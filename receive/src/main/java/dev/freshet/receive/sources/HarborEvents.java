package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.ImageNames;
import dev.freshet.receive.Refusal;
import java.util.Optional;
import java.util.Set;

/**
 * The data of a Harbor push event, the same in both of Harbor's payload formats: {@code event_data}
 * of the "Default" format and {@code data} of the "CloudEvents" format (Harbor 2.8+). {@code
 * repository} is an object (name, namespace, {@code repo_full_name}); each of {@code resources}
 * names a tag, a digest and a {@code resource_url} ({@code host/ns/repo:tag}), the only place the
 * registry host appears.
 */
final class HarborEvents {

  /** The event types of a push: Harbor 2's, Harbor 1's, and Harbor 2.8+'s CloudEvents type. */
  static final Set<String> PUSH_TYPES =
      Set.of("PUSH_ARTIFACT", "pushImage", "harbor.artifact.pushed");

  private HarborEvents() {}

  /** True if {@code data} looks like Harbor's: a repository object and a resources list. */
  static boolean isHarborData(JsonNode data) {
    JsonNode repository = Json.at(data, "repository");
    JsonNode resources = Json.at(data, "resources");
    return repository != null && repository.isObject() && resources != null && resources.isArray();
  }

  static void collect(JsonNode data, Hints hints, String deliveryId) throws Refusal {
    JsonNode resources = Json.requiredArray(data, "resources");
    Optional<String> fullName =
        Json.text(data, "repository", "repo_full_name")
            .or(
                () ->
                    Json.text(data, "repository", "namespace")
                        .flatMap(
                            ns -> Json.text(data, "repository", "name").map(n -> ns + "/" + n)));
    for (JsonNode resource : resources) {
      Optional<String> url = Json.text(resource, "resource_url").map(ImageNames::withoutScheme);
      Optional<String> tag = Json.text(resource, "tag");
      if (url.isEmpty() || url.get().indexOf('/') <= 0) {
        hints.skip(
            IgnoreReason.NO_REGISTRY,
            fullName.orElse("?") + tag.map(t -> ":" + t).orElse(""),
            "resource without a resource_url naming the registry host");
        continue;
      }
      String host = url.get().substring(0, url.get().indexOf('/'));
      String repository = fullName.orElseGet(() -> repositoryOf(url.get()));
      hints.add(host, repository, tag, Json.text(resource, "digest"), deliveryId);
    }
    if (resources.isEmpty()) {
      hints.skip(IgnoreReason.NO_REPOSITORY, fullName.orElse("-"), "push without resources");
    }
  }

  /** {@code host/ns/repo:tag} or {@code host/ns/repo@sha256:…} → {@code ns/repo}. */
  private static String repositoryOf(String resourceUrl) {
    String path = resourceUrl.substring(resourceUrl.indexOf('/') + 1);
    int at = path.indexOf('@');
    if (at >= 0) {
      path = path.substring(0, at);
    }
    int colon = path.lastIndexOf(':');
    return colon > path.lastIndexOf('/') ? path.substring(0, colon) : path;
  }
}
