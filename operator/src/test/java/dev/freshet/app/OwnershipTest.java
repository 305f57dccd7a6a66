package dev.freshet.app;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

class OwnershipTest {

  @Test
  void onlyAnObjectReferencingTheAppsUidIsOwned() {
    var app = app("web");
    app.getMetadata().setUid("uid-1");
    var ours =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("web")
            .addNewOwnerReference()
            .withUid("uid-1")
            .withKind("App")
            .withName("web")
            .endOwnerReference()
            .endMetadata()
            .build();
    var sameNameOtherOwner =
        new ServiceBuilder(ours)
            .editMetadata()
            .editFirstOwnerReference()
            .withUid("uid-2")
            .endOwnerReference()
            .endMetadata()
            .build();
    var unowned = new ServiceBuilder().withNewMetadata().withName("web").endMetadata().build();

    assertThat(Ownership.isOwnedBy(ours, app)).isTrue();
    assertThat(Ownership.isOwnedBy(sameNameOtherOwner, app)).isFalse();
    assertThat(Ownership.isOwnedBy(unowned, app)).isFalse();
  }
}
