package dev.freshet.receive.sources;

import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import java.util.Set;

/** Content-type checks and the manifest media types that make a push worth a hint. */
final class MediaTypes {

  static final String JSON = "application/json";
  static final String DISTRIBUTION_EVENTS_V1 = "application/vnd.docker.distribution.events.v1+json";
  static final String DISTRIBUTION_EVENTS_V2 = "application/vnd.docker.distribution.events.v2+json";
  static final String CLOUDEVENTS = "application/cloudevents+json";

  /**
   * Manifests and indexes. Blob pushes arrive in the same envelope and are not images; the schema-1
   * types are listed because old registries still send them.
   */
  static final Set<String> MANIFESTS =
      Set.of(
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v1+prettyjws");

  private MediaTypes() {}

  /** Refuses with 415 unless the request's media type is one of the allowed ones. */
  static String require(InboundRequest request, Set<String> allowed) throws Refusal {
    String type =
        request
            .mediaType()
            .orElseThrow(
                () ->
                    Refusal.unsupportedMediaType(
                        "missing Content-Type; expected one of " + allowed));
    if (!allowed.contains(type)) {
      throw Refusal.unsupportedMediaType(
          "Content-Type " + Hints.abbreviate(type) + " not accepted; expected one of " + allowed);
    }
    return type;
  }
}
