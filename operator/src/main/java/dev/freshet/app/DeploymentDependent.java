package dev.freshet.app;

import dev.freshet.app.api.App;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The App's Deployment, when workload is Deployment. */
public class DeploymentDependent extends OwnedDependent<Deployment> {

  public DeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(App app, Context<App> context) {
    return DesiredDeployment.of(app, ChosenImage.of(app, context));
  }

  @Override
  protected Deployment withOnly(ObjectMeta metadata) {
    return new DeploymentBuilder().withMetadata(metadata).build();
  }
}
