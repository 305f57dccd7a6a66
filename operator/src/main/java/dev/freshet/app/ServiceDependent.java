package dev.freshet.app;

import dev.freshet.app.api.App;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The App's Service, unless service.type is None. */
public class ServiceDependent extends OwnedDependent<Service> {

  public ServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(App app, Context<App> context) {
    return DesiredService.of(app);
  }

  @Override
  protected Service withOnly(ObjectMeta metadata) {
    return new ServiceBuilder().withMetadata(metadata).build();
  }
}
