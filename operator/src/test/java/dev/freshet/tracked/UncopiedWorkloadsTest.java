package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.app.api.App;
import dev.freshet.testbed.Workloads;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class UncopiedWorkloadsTest {
  private final UncopiedWorkloads cloner = new UncopiedWorkloads(new KubernetesSerialization());

  @Test
  void everyTrackedKindReachesItsReconcilerAsCached() {
    var deployment = Workloads.deployment("web", "registry.example.com/web:1", 1);
    var statefulSet =
        new StatefulSetBuilder().withNewMetadata().withName("db").endMetadata().build();
    var daemonSet =
        new DaemonSetBuilder().withNewMetadata().withName("agent").endMetadata().build();
    var cronJob = new CronJobBuilder().withNewMetadata().withName("nightly").endMetadata().build();

    assertThat(cloner.clone(deployment)).isSameAs(deployment);
    assertThat(cloner.clone(statefulSet)).isSameAs(statefulSet);
    assertThat(cloner.clone(daemonSet)).isSameAs(daemonSet);
    assertThat(cloner.clone(cronJob)).isSameAs(cronJob);
  }

  @Test
  void anAppIsCopiedSinceItsReconcilerSetsItsStatus() {
    var app = new App();
    app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());

    App copy = cloner.clone(app);

    assertThat(copy).isNotSameAs(app).isEqualTo(app);
    copy.getMetadata().setName("changed");
    assertThat(app.getMetadata().getName()).isEqualTo("web");
  }
}
