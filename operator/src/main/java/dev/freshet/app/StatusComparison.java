package dev.freshet.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.app.api.AppStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Compares statuses by their JSON form: what the API server would store is what matters. */
public final class StatusComparison {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private StatusComparison() {}

  public static boolean equal(AppStatus a, AppStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return SERIALIZATION
        .convertValue(a, JsonNode.class)
        .equals(SERIALIZATION.convertValue(b, JsonNode.class));
  }
}
