package dev.freshet.app;

import dev.freshet.app.api.App;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels Freshet puts on what it creates; the selector part never changes for an App. */
public final class AppLabels {

  public static final String APP = "freshet.dev/app";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "freshet";

  private AppLabels() {}

  /** Selects the App's pods. Kept minimal because a workload's selector is immutable. */
  public static Map<String, String> selector(App app) {
    return Map.of(APP, app.getMetadata().getName());
  }

  /** Labels on the Deployment, StatefulSet and Service themselves. */
  public static Map<String, String> forObjects(App app) {
    var labels = new LinkedHashMap<String, String>();
    labels.put(APP, app.getMetadata().getName());
    labels.put(MANAGED_BY, MANAGER);
    return labels;
  }

  /** Pod labels: the owner's own first, then the selector, which must win. */
  public static Map<String, String> forPods(App app) {
    var labels = new LinkedHashMap<String, String>();
    var own = app.getSpec().getPodLabels();
    if (own != null) {
      labels.putAll(own);
    }
    labels.putAll(selector(app));
    return labels;
  }
}
