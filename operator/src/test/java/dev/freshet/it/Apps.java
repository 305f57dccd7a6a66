package dev.freshet.it;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppPort;
import dev.freshet.app.api.AppSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;

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
}
