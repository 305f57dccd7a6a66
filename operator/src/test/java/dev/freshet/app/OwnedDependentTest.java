package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.app.api.App;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class OwnedDependentTest {
  private final DeploymentDependent dependent = new DeploymentDependent();

  @Test
  void anAppsDeploymentIsCachedWithItsSpec() {
    Deployment ours = deployment("web", "App", HasMetadata.getApiVersion(App.class));

    Deployment cached = dependent.cached(ours);

    assertThat(cached.getSpec().getTemplate().getSpec().getContainers())
        .singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("registry.example/web:1"));
    assertThat(cached.getMetadata().getLabels()).containsEntry("tier", "web");
  }

  @Test
  void anyoneElsesIsCachedAsItsIdentityAndOwnersOnly() {
    Deployment tracked = deployment("web", null, null);
    Deployment ownedByAnotherKind = deployment("api", "App", "example.com/v1");

    for (Deployment other : new Deployment[] {tracked, ownedByAnotherKind}) {
      String name = other.getMetadata().getName();
      var owners = other.getMetadata().getOwnerReferences();

      Deployment cached = dependent.cached(other);

      assertThat(cached.getSpec()).isNull();
      assertThat(cached.getStatus()).isNull();
      assertThat(cached.getMetadata().getName()).isEqualTo(name);
      assertThat(cached.getMetadata().getNamespace()).isEqualTo("shop");
      assertThat(cached.getMetadata().getUid()).isEqualTo("uid-" + name);
      assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
      assertThat(cached.getMetadata().getOwnerReferences()).isEqualTo(owners);
      assertThat(cached.getMetadata().getLabels()).isNullOrEmpty();
      assertThat(cached.getMetadata().getAnnotations()).isNullOrEmpty();
    }
  }

  private static Deployment deployment(String name, String ownerKind, String ownerApiVersion) {
    var builder =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("shop")
            .withUid("uid-" + name)
            .withResourceVersion("42")
            .addToLabels("tier", "web")
            .addToAnnotations("freshet.dev/policy", "digest")
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("registry.example/web:1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withReplicas(2)
            .endStatus();
    if (ownerKind != null) {
      builder
          .editMetadata()
          .addNewOwnerReference()
          .withKind(ownerKind)
          .withApiVersion(ownerApiVersion)
          .withName(name)
          .withUid("owner-uid")
          .withController(true)
          .endOwnerReference()
          .endMetadata();
    }
    return builder.build();
  }
}
