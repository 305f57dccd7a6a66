package dev.freshet.app;

import dev.freshet.app.api.App;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The App's StatefulSet, when workload is StatefulSet. */
public class StatefulSetDependent extends OwnedDependent<StatefulSet> {

  public StatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(App app, Context<App> context) {
    return DesiredStatefulSet.of(app, ChosenImage.of(app, context));
  }

  @Override
  protected StatefulSet withOnly(ObjectMeta metadata) {
    return new StatefulSetBuilder().withMetadata(metadata).build();
  }
}
