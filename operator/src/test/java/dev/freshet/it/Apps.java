package dev.freshet.it;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppPort;
import dev.freshet.app.api.AppSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Apps for tests: small, valid, and changed by the test where it matters. */
public final class Apps {

  private Apps() {}

  public static App app(String name) {
    var spec = new AppSpec();
    spec.setImage("registry.example.com/demo/web:1.0.0");
    spec.setReplicas(2);
    spec.setPorts(new ArrayList<>(List.of(new AppPort("http", 8080, 80))));
    var app = new App();
    app.setMetadata(new ObjectMetaBuilder().withName(name).build());
    app.setSpec(spec);
    return app;
  }

  /**
   * Changes fields of an App's spec as {@code kubectl patch --type merge} does: without the
   * resource version read before, so the operator's status writes meanwhile cannot make it a 409.
   */
  public static void patchSpec(KubernetesClient client, String name, Map<String, Object> fields) {
    client
        .resources(App.class)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", fields)));
  }
}
