package dev.freshet.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An App's {@code status.image} as the API server stores it, read by field name rather than through
 * the operator's Java types, so a test states the status contract users and the CLI rely on.
 *
 * @param pinnedTag the tag of the digest Freshet pins (or is about to pin) into the workload
 * @param pinnedDigest the digest Freshet pins (or is about to pin) into the workload
 * @param runningDigest the digest the workload's pods run once its rollout finished
 * @param latestDigest the newest digest the registry answered for the App's policy
 * @param quarantinedDigests digests that failed their health gate and are never pinned again
 */
public record AppImageRecord(
    String pinnedTag,
    String pinnedDigest,
    String runningDigest,
    String latestDigest,
    List<String> quarantinedDigests) {

  public static final String API_VERSION = "freshet.dev/v1alpha1";

  /**
   * How many quarantined digests an App's status keeps, newest last: a workload that failed more
   * releases than this forgets the oldest, so its status stays bounded (docs/app-reference.md).
   */
  public static final int QUARANTINES_KEPT = 10;

  /**
   * The quarantines a status must still hold after quarantining {@code inOrder} (oldest first) and
   * releasing none: the newest {@value #QUARANTINES_KEPT}.
   */
  public static List<String> quarantinesKept(List<String> inOrder) {
    return inOrder.subList(Math.max(0, inOrder.size() - QUARANTINES_KEPT), inOrder.size());
  }

  /**
   * The image block of App {@code name} in the client's namespace; all empty if it has none yet.
   */
  public static AppImageRecord of(KubernetesClient client, String name) {
    GenericKubernetesResource app =
        client.genericKubernetesResources(API_VERSION, "App").withName(name).get();
    if (app == null) {
      throw new AssertionError("App " + name + " does not exist");
    }
    return of(app);
  }

  public static AppImageRecord of(GenericKubernetesResource app) {
    Map<String, Object> image =
        Optional.ofNullable(app.getAdditionalProperties().get("status"))
            .map(status -> ((Map<?, ?>) status).get("image"))
            .map(AppImageRecord::asMap)
            .orElse(Map.of());
    Object quarantined = image.get("quarantinedDigests");
    return new AppImageRecord(
        (String) image.get("pinnedTag"),
        (String) image.get("pinnedDigest"),
        (String) image.get("runningDigest"),
        (String) image.get("latestDigest"),
        quarantined == null
            ? List.of()
            : ((List<?>) quarantined).stream().map(String::valueOf).toList());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }
}
